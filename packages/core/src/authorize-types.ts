import type { PrmkitError, PrmkitErrorCode } from './errors.js';
import type { AuthInfo } from './types.js';

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
 */
export interface AuthorizeFailure {
  readonly ok: false;
  /** 400 invalid_request, 401 (no credentials or invalid_token), 403 insufficient_scope. */
  readonly status: 400 | 401 | 403;
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

/** What `onDecision` receives for each `authorize` call. Never includes the token. */
export interface AuthorizeDecision {
  readonly ok: boolean;
  /** Stable reason when refused. */
  readonly code?: PrmkitErrorCode;
  readonly status: 200 | 400 | 401 | 403;
  readonly method: string;
  /** Path of the request (no query: a query may carry secrets). */
  readonly path: string;
  readonly subject?: string;
  readonly clientId?: string;
  /** The `audienceAliases` entry the token was accepted through, when not the resource. */
  readonly audienceAlias?: string;
  /** Scopes that were required for this request. */
  readonly requiredScopes: readonly string[];
  /** Milliseconds spent deciding. */
  readonly durationMs: number;
}

/** A metadata response, ready to write as-is. */
export interface MetadataResponse {
  readonly status: 200 | 204 | 304 | 404 | 405;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text for GET 200; empty otherwise (HEAD, 204, 304, 405). */
  readonly body: string;
}
