import { PrmkitError } from '@prmkit/core';

/**
 * Every code a {@link GatewayError} can carry, each string once. Branch on `code`, never on
 * `message`; {@link gatewayRefusal} turns each into the answer the MCP client gets.
 *
 * @example
 * ```ts
 * import { GATEWAY_ERROR_CODES } from '@prmkit/gateway';
 * GATEWAY_ERROR_CODES.includes('exchange_refused'); // true
 * ```
 * @see RFC 8693 §2.2.2 (token exchange error response), RFC 6749 §5.2
 */
export const GATEWAY_ERROR_CODES = [
  // configuration (thrown at start, never per request)
  'config_invalid',
  // the authorization server answered with an RFC 6749 §5.2 error (see `oauthError`)
  'exchange_refused',
  // the authorization server (or its metadata) cannot be reached, timed out or answered 5xx/429
  'exchange_unavailable',
  // a 200 that is not a usable token response (no access_token, wrong issued_token_type...)
  'exchange_response_invalid',
  // the passthrough guard stopped a downstream call (inbound token, or a token for another audience)
  'passthrough_refused',
  // a downstream target that the gateway does not know
  'target_unknown',
] as const;

/** Stable machine-readable reasons of the gateway (see {@link GATEWAY_ERROR_CODES}). */
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

/**
 * Every error `@prmkit/gateway` throws. `oauthError` is the authorization server's RFC 6749
 * §5.2 `error` when it refused (`invalid_grant`, `invalid_target`, `consent_required`...);
 * `retryAfter` (seconds) is set for `exchange_unavailable`. Messages never contain a token.
 *
 * @example
 * ```ts
 * import { GatewayError } from '@prmkit/gateway';
 * try { await exchanger.tokenFor(auth, target); }
 * catch (e) { if (e instanceof GatewayError && e.code === 'exchange_refused') console.log(e.oauthError); }
 * ```
 * @see RFC 8693 §2.2.2
 */
export class GatewayError extends PrmkitError<GatewayErrorCode> {
  /** RFC 6749 §5.2 `error` of the authorization server's refusal, if any. */
  readonly oauthError: string | undefined;
  /** HTTP status of the authorization server's answer, if there was one. */
  readonly status: number | undefined;
  /** Seconds to wait before retrying (`exchange_unavailable`). */
  readonly retryAfter: number | undefined;
  constructor(
    code: GatewayErrorCode,
    message: string,
    options: { cause?: unknown; oauthError?: string; status?: number; retryAfter?: number } = {},
  ) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.oauthError = options.oauthError;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
  }
}
