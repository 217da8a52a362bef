import type { PrmkitError, PrmkitErrorCode } from './errors.js';
import type { AuthInfo } from './types.js';
import type { DecisionReason } from './reasons.js';

/** Options of one `authorize` call. */
export interface AuthorizeOptions {
  /**
   * Scopes this endpoint requires, in addition to the server's `requiredScopes`.
   * Every one must be granted (RFC 6750 §3.1 `insufficient_scope` otherwise).
   */
  readonly scopes?: readonly string[];
}

/** A granted request: write nothing, hand `auth` to the handler. */
export interface AuthorizeSuccess {
  readonly ok: true;
  readonly auth: AuthInfo;
}

/**
 * A refused request, ready to write as-is: `status`, every header in `headers`
 * (including `WWW-Authenticate`), and `body` (a JSON string `{error, error_description}`).
 * One refusal is not OAuth's: `error.code === 'header_mismatch'` is a 400 whose body is a
 * JSON-RPC error response (`-32020`, MCP SEP-2243) and which has no `WWW-Authenticate`.
 */
export interface AuthorizeFailure {
  readonly ok: false;
  /**
   * 400 invalid_request (or, with a JSON-RPC body and no challenge, `header_mismatch`:
   * MCP headers that disagree with the body), 401 (no credentials or invalid_token), 403 insufficient_scope,
   * 429 too many refusals (with `Retry-After`), 503 the authorization infrastructure is
   * failing (with `Retry-After`, no `WWW-Authenticate`: the token may be fine), 404 no
   * resource of a `ResourceServerSet` owns the path (`resource_not_found`, no challenge).
   */
  readonly status: 400 | 401 | 403 | 404 | 429 | 503;
  /** Header name to value. Names are lower-case. */
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text. Content type is in `headers['content-type']`. */
  readonly body: string;
  /** Why, with a stable `code`. Never contains the token. */
  readonly error: PrmkitError;
}

/**
 * What `ResourceServer.authorize` returns: {@link AuthorizeSuccess} (`ok: true`) or
 * {@link AuthorizeFailure} (`ok: false`). Narrow on `ok`; authorization failures are never
 * thrown.
 *
 * @see RFC 6750 §3.1
 */
export type AuthorizeResult = AuthorizeSuccess | AuthorizeFailure;

/**
 * A decision taken from the MCP request headers (SEP-2243) before the body was read: a
 * final refusal, or an admission still pending on the body. Pending has no `ok` member, so
 * code that only tests `ok` treats it as a refusal (fail closed); call `confirm` with the
 * parsed body (`undefined` when it could not be read or parsed) to get the real decision.
 *
 * @example
 * ```ts
 * const d = await internalsOf(rs).authorizeByHeaders(req, requirement); // what guardRequest does
 * const result = d === undefined ? await rs.authorize({ ...req, body }) : 'pending' in d ? await d.confirm(body) : d;
 * ```
 * @see MCP 2026-07-28 Streamable HTTP §Server Validation
 */
export type HeaderDecision =
  | AuthorizeFailure
  | {
      readonly pending: 'confirm_body';
      /** Compares the body with the headers and checks its scopes; reports the decision. */
      confirm(body: unknown): AuthorizeResult | Promise<AuthorizeResult>;
    };

/** What a decision compared the token against (from the configuration). */
export interface ExpectedValues {
  /** Accepted issuers (`authorizationServers`). */
  readonly issuers: readonly string[];
  /** The audience a token must carry: the `resource`. */
  readonly audience: string;
  /** Scopes this request required. */
  readonly scopes: readonly string[];
  /** Accepted `typ` values (JWT verification only). */
  readonly types?: readonly string[];
  /** Accepted `alg` values (JWT verification only). */
  readonly algorithms?: readonly string[];
  /** Accepted current actors (`actor.allowed`), when an actor policy is set. */
  readonly actors?: readonly string[];
}

/**
 * What `onDecision` (and the logger, and `@prmkit/otel`) receives for each `authorize`
 * call: the outcome, its stable `reason`, and what was compared. Never includes the token;
 * `tokenFingerprint` correlates requests that presented the same one.
 *
 * @example
 * ```ts
 * createResourceServer({ ...config, onDecision: (d) => { if (!d.ok) console.log(d.reason, d.expected, d.received); } });
 * ```
 * @see RFC 6750 §3.1, RFC 9068 §4
 */
export interface AuthorizeDecision {
  readonly ok: boolean;
  /** Why it was refused: one of `DECISION_REASONS`. Absent when granted. */
  readonly reason?: DecisionReason;
  /** Same as `reason` (kept for compatibility). */
  readonly code?: PrmkitErrorCode;
  readonly status: 200 | 400 | 401 | 403 | 404 | 429 | 503;
  readonly method: string;
  /** Path of the request (no query: a query may carry secrets). */
  readonly path: string;
  /** The verified `sub` (granted decisions only). */
  readonly subject?: string;
  /** The verified `client_id` (granted decisions only; see `received.clientId` otherwise). */
  readonly clientId?: string;
  /** The `audienceAliases` entry the token was accepted through, when not the resource. */
  readonly audienceAlias?: string;
  /** Scopes that were required for this request. */
  readonly requiredScopes: readonly string[];
  /** What the token was compared against. */
  readonly expected: ExpectedValues;
  /** What the token presented (unverified when refused); absent when no token was found. */
  readonly received?: ReceivedValues;
  /** 12 hex digits identifying the token (never the token); absent when none was found. */
  readonly tokenFingerprint?: string;
  /** Whether the verified-token cache answered (no signature check, no I/O). */
  readonly cacheHit: boolean;
  /**
   * With `mtls` on, where the client certificate came from (`tls`, a trusted proxy's
   * `header`) or `none`; absent when mTLS is off. Never the certificate itself.
   */
  readonly clientCertificate?: 'tls' | 'header' | 'none';
  /** Milliseconds spent deciding. */
  readonly durationMs: number;
  /**
   * The refusal's message, for operators: may name internal URLs (the client never sees
   * it on a 503). Absent when granted.
   */
  readonly detail?: string;
}

/** A metadata response, ready to write as-is. */
export interface MetadataResponse {
  readonly status: 200 | 204 | 304 | 404 | 405 | 503;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text for GET 200; empty otherwise (HEAD, 204, 304, 405). */
  readonly body: string;
}

/**
 * What a presented token says about itself, for telemetry only: read without verifying
 * anything (on a refusal these are the attacker's words, not facts), each string cut to
 * {@link MAX_FACT_LENGTH} characters and each list to {@link MAX_FACT_ITEMS} entries.
 * Never the token, never its signature.
 */
export interface ReceivedValues {
  readonly issuer?: string;
  readonly audience?: readonly string[];
  readonly scopes?: readonly string[];
  readonly clientId?: string;
  /** The current actor (RFC 8693 §4.1 `act`): its `client_id`, else its `sub`. */
  readonly actor?: string;
  /** JOSE header `typ`, `alg`, `kid`. */
  readonly typ?: string;
  readonly alg?: string;
  readonly kid?: string;
}
