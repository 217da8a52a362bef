import type { HeadersLike } from '../util/headers.js';
import type { PrmkitLogger } from './logger.js';
import type { PeerCertificateSource } from './client-certificate.js';

export type { HeadersLike };

/**
 * The part of a request `authorize` and `handleMetadataRequest` read. Adapters never
 * build a full `Request` just to read a header.
 */
export interface RequestLike {
  readonly method: string;
  /** Absolute URL or path with query (`/mcp?x=1`); only the path and query are read. */
  readonly url: string;
  readonly headers: HeadersLike;
  /**
   * The parsed body, when the framework has parsed one: a form object for
   * `application/x-www-form-urlencoded` (RFC 6750 §2.2) or a JSON-RPC message for
   * per-tool scopes. Omit when unknown.
   */
  readonly body?: unknown;
  /**
   * The client's address as the framework sees it (after its own trusted-proxy handling),
   * for failure rate limiting. Omit when unknown.
   */
  readonly clientAddress?: string | undefined;
  /**
   * The address of the connection's peer itself (the socket's `remoteAddress`), never one
   * taken from `X-Forwarded-For`: compared with `mtls.trustedProxies` to decide whether a
   * client-certificate header is believed. Omit when unknown (no header is then believed).
   */
  readonly peerAddress?: string | undefined;
  /**
   * The client certificate of the TLS connection (RFC 8705 §3), or a function reading it
   * (called only when certificate-bound tokens are on). Omit when the connection has none
   * or the host cannot tell.
   */
  readonly peerCertificate?: PeerCertificateSource | undefined;
  /**
   * The framework's logger of this request (Fastify's `request.log`, a child carrying the
   * request id). Used instead of the adapter's default logger, never instead of a `logger`
   * you configured.
   */
  readonly logger?: PrmkitLogger | undefined;
}

/**
 * One actor of a delegated token (RFC 8693 §4.1 `act`): who is acting on behalf of the
 * token's subject. `actor` is the one before it (a nested `act`), informational only.
 *
 * @example
 * ```ts
 * auth.actor?.clientId; // 'gateway-client': the gateway that exchanged the token
 * auth.actor?.actor?.subject; // a prior actor, for the audit log only
 * ```
 * @see RFC 8693 §4.1
 */
export interface TokenActor {
  /** `act.sub`. */
  readonly subject: string | undefined;
  /** `act.client_id` (RFC 8693 §4.3), when the authorization server writes it. */
  readonly clientId: string | undefined;
  /** `act.iss`: the namespace of `subject` when it is not the token's issuer. */
  readonly issuer: string | undefined;
  /** The prior actor (the nested `act`). Never use it for access control (RFC 8693 §4.1). */
  readonly actor?: TokenActor;
  /** Every member of this `act` object, the nested `act` included. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** A verified access token, normalized across JWT, introspection and custom verifiers. */
export interface AuthInfo {
  /** The raw access token. Never log it. */
  readonly token: string;
  /** `sub` claim. */
  readonly subject: string | undefined;
  /** `client_id` claim, or the claim the configured `profile` names (`azp`, `cid`, ...). */
  readonly clientId: string | undefined;
  /** Granted scopes (RFC 6749 §3.3 space-delimited `scope`; `scp` when opted in). */
  readonly scopes: readonly string[];
  /** `aud`, always as an array. */
  readonly audience: readonly string[];
  /** Set when the token was accepted through one of `audienceAliases`, not the resource. */
  readonly audienceAlias?: string;
  /** `iss` claim. */
  readonly issuer: string | undefined;
  /** `exp` in seconds since the epoch. */
  readonly expiresAt: number | undefined;
  /**
   * Who acts for `subject` (RFC 8693 §4.1 `act`), outermost (current) actor first; absent
   * when the token is not delegated. Only the outermost actor counts for access control.
   */
  readonly actor?: TokenActor;
  /** Every claim of the token (or of the introspection response). */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** Per-call context a verifier receives. */
export interface VerifyContext {
  /** Aborted when the verifier's time budget is over. */
  readonly signal?: AbortSignal;
}

/**
 * Turns a presented access token into `AuthInfo`, or throws a `TokenError` (token not
 * acceptable: 401 invalid_token) or an `UpstreamError` (infrastructure down: fail closed).
 * Implementations: JWT (jose + JWKS), RFC 7662 introspection, a user-supplied function.
 *
 * @example
 * ```ts
 * const verifier: TokenVerifier = {
 *   async verify(token) { return lookUp(token); },
 * };
 * ```
 * @see RFC 9068 §4, RFC 7662 §2
 */
export interface TokenVerifier {
  verify(token: string, context?: VerifyContext): Promise<AuthInfo>;
  /**
   * Optional synchronous answer for a token already verified and still valid (a cache
   * hit), or `undefined`. Lets `authorize` skip a promise round trip on the hot path; it
   * must never return anything `verify` would not.
   */
  peek?(token: string): AuthInfo | undefined;
}

/** Where a bearer token may be presented (RFC 6750 §2; RFC 9728 `bearer_methods_supported`). */
export type BearerMethod = 'header' | 'body' | 'query';
