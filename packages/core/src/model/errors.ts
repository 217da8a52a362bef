import { CODE_TABLE, type CoreCode, codesOf } from './codes.js';

/**
 * Codes of {@link TokenError}: a request that carries its token wrongly (400
 * `invalid_request`), a token that cannot be accepted (401 `invalid_token`, or the bare 401
 * when there is none), or a DPoP proof that fails (RFC 9449 §7.1). Derived from
 * `CODE_TABLE`, which gives each one's status.
 *
 * @example
 * ```ts
 * TOKEN_ERROR_CODES.includes('token_expired'); // true
 * ```
 * @see RFC 6750 §3.1
 */
export const TOKEN_ERROR_CODES = Object.freeze(codesOf('request', 'token', 'dpop'));

/** A code of {@link TokenError}. */
export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];

/**
 * Codes of {@link UpstreamError}: the authorization infrastructure failed (fail closed,
 * 503). Derived from `CODE_TABLE`.
 *
 * @example
 * ```ts
 * UPSTREAM_ERROR_CODES.includes('jwks_unavailable'); // true
 * ```
 * @see RFC 9110 §15.6.4
 */
export const UPSTREAM_ERROR_CODES = Object.freeze(codesOf('upstream'));

/** A code of {@link UpstreamError}. */
export type UpstreamErrorCode = (typeof UPSTREAM_ERROR_CODES)[number];

/**
 * Every code the core reports, in `CODE_TABLE` order. Each string is listed once; the
 * other packages' error classes (`ClientError`, the CLI's) add their own lists and reuse
 * these where the fault is the same.
 *
 * @example
 * ```ts
 * for (const code of PRMKIT_ERROR_CODES) console.log(code, CODE_TABLE[code].status);
 * ```
 * @see RFC 6750 §3.1 (the error codes these map onto)
 */
export const PRMKIT_ERROR_CODES: readonly CoreCode[] = Object.freeze(
  Object.keys(CODE_TABLE) as CoreCode[],
);

/**
 * Stable machine-readable reasons of the core. They are part of the public contract: log
 * them, count them, branch on them; never parse `message`.
 */
export type PrmkitErrorCode = CoreCode;

/** `T`, but never inferred from the argument: the class's code list decides, not the call. */
type Listed<T> = [T][T extends unknown ? 0 : never];

/**
 * Base class of every error prmkit throws or reports. `code` is stable across versions; each
 * subclass narrows it to its own list (`Code`), so `new UpstreamError('token_expired')`
 * does not compile.
 *
 * @example
 * ```ts
 * import { PrmkitError } from '@prmkit/core';
 * try { await verifier.verify(token); } catch (e) {
 *   if (e instanceof PrmkitError && e.code === 'token_expired') console.log('sign in again');
 * }
 * ```
 * @see RFC 6750 §3.1 (the error codes these map onto)
 */
export class PrmkitError<Code extends string = PrmkitErrorCode> extends Error {
  readonly code: Code;
  constructor(code: Listed<Code>, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PrmkitError';
    this.code = code;
  }
}

/** One problem found in a configuration object, with its dotted field path. */
export interface ConfigIssue {
  /** Field path, e.g. `authorizationServers.0` or `jwt.algorithms`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Thrown by `createResourceServer` when the configuration is invalid. Lists every problem,
 * not just the first.
 *
 * @example
 * ```ts
 * try { createResourceServer({ resource: 'https://x/#frag', authorizationServers: [] }); }
 * catch (e) { if (e instanceof PrmkitConfigError) console.error(e.issues); }
 * ```
 * @see RFC 9728 §2 (metadata members)
 */
export class PrmkitConfigError extends PrmkitError<'config_invalid'> {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(
      'config_invalid',
      `Invalid prmkit configuration:\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    );
    this.name = 'PrmkitConfigError';
    this.issues = issues;
  }
}

/**
 * A token was presented but cannot be accepted (RFC 6750 `invalid_token`), or the request
 * carrying it is malformed (`invalid_request`). Thrown by verifiers; `authorize` turns it
 * into a 401 or 400. It carries no stack trace (it judges input, it does not report a bug).
 *
 * @example
 * ```ts
 * throw new TokenError('audience_mismatch', 'token audience does not include the resource');
 * ```
 * @see RFC 6750 §3.1
 */
export class TokenError extends PrmkitError<TokenErrorCode> {
  constructor(code: TokenErrorCode, message: string, options?: { cause?: unknown }) {
    // A verdict about the input, made on every refused request: no stack trace (see
    // withoutStackTraces). `code`, `message` and `cause` say everything.
    const limit = Error.stackTraceLimit;
    if (typeof limit === 'number') Error.stackTraceLimit = 0;
    try {
      super(code, message, options);
    } finally {
      if (typeof limit === 'number') Error.stackTraceLimit = limit;
    }
    this.name = 'TokenError';
  }
}

/**
 * The authorization infrastructure (JWKS, discovery, introspection, the store) is
 * unavailable. The request is refused (fail closed) with 503 and `Retry-After`, never as
 * `invalid_token`: the token may be fine. `code` tells operators why; `retryAfter` (seconds)
 * is when asking again may help, when the failing part knows.
 *
 * @example
 * ```ts
 * if (e instanceof UpstreamError) metrics.increment(e.code); // 'jwks_unavailable', ...
 * ```
 * @see RFC 9110 §15.6.4 (503), §10.2.3 (Retry-After)
 */
export class UpstreamError extends PrmkitError<UpstreamErrorCode> {
  /** Seconds until a retry may succeed (e.g. the rest of a failure cooldown), if known. */
  readonly retryAfter: number | undefined;
  constructor(
    code: UpstreamErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfter?: number },
  ) {
    super(code, message, options);
    this.name = 'UpstreamError';
    this.retryAfter = options?.retryAfter;
  }
}

/**
 * A value cannot be written into a WWW-Authenticate header without breaking its grammar
 * (RFC 6750 §3 character sets, RFC 9110 §11.6.1).
 *
 * @example
 * ```ts
 * formatWwwAuthenticate([{ scheme: 'Bearer', params: { error_description: 'a "quote"' } }]);
 * // throws HeaderValueError (code 'header_value_invalid')
 * ```
 * @see RFC 6750 §3
 */
export class HeaderValueError extends PrmkitError<'header_value_invalid'> {
  constructor(message: string) {
    super('header_value_invalid', message);
    this.name = 'HeaderValueError';
  }
}
