import { PrmkitError } from '@prmkit/core';
import type { PrmkitErrorCode } from '@prmkit/core';

/**
 * The core's code for an issuer other than the one expected: the same fault, so the same
 * code (`satisfies` fails to compile if the core's list drops it).
 */
const ISSUER_MISMATCH = 'issuer_mismatch' satisfies PrmkitErrorCode;

/**
 * Every code a {@link ClientError} can carry, each string once. Branch on `code`, never on
 * `message`.
 *
 * @example
 * ```ts
 * import { CLIENT_ERROR_CODES } from '@prmkit/client';
 * CLIENT_ERROR_CODES.includes('resource_mismatch'); // true
 * ```
 * @see RFC 9728 §7, RFC 8414 §3.3, RFC 6749 §5.2
 */
export const CLIENT_ERROR_CODES = [
  // transport safety (RFC 9728 §7, MCP 2025-11-25 security considerations)
  'invalid_url',
  'insecure_url',
  'fetch_failed',
  'fetch_timeout',
  'body_too_large',
  'content_type_invalid',
  'json_invalid',
  'redirect_refused',
  // discovery (RFC 9728, RFC 8414)
  'not_protected',
  'resource_metadata_not_found',
  'resource_metadata_invalid',
  'resource_mismatch',
  'authorization_server_metadata_not_found',
  'authorization_server_metadata_invalid',
  ISSUER_MISMATCH,
  'upstream_error',
  // signed metadata (RFC 9728 §2.2, §3.3)
  'signed_metadata_missing',
  'signed_metadata_invalid',
  'signed_metadata_alg_refused',
  'signed_metadata_untrusted_issuer',
  'signed_metadata_signature_invalid',
  'signed_metadata_expired',
  'signed_metadata_keys_unavailable',
  // authorization (OAuth 2.1, RFC 7636, RFC 9207)
  'pkce_unsupported',
  'state_mismatch',
  'iss_missing',
  'iss_mismatch',
  'authorization_denied',
  'authorization_response_invalid',
  'interaction_required',
  // client identity (RFC 7591, CIMD)
  'client_registration_unavailable',
  'registration_failed',
  'client_auth_unsupported',
  // tokens
  'token_request_failed',
  'token_response_invalid',
  'unauthorized_after_token',
  'step_up_limit',
] as const;

/** Stable machine-readable reasons for every client failure (see {@link CLIENT_ERROR_CODES}). */
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/**
 * Every error `@prmkit/client` throws: a `PrmkitError` whose `code` is one of
 * {@link CLIENT_ERROR_CODES}; `oauthError` carries the authorization server's RFC 6749
 * §5.2 `error` when there was one.
 *
 * @example
 * ```ts
 * import { discover, ClientError } from '@prmkit/client';
 * try { await discover('https://mcp.example.com/mcp'); }
 * catch (e) { if (e instanceof ClientError && e.code === 'resource_mismatch') alert(e.message); }
 * ```
 * @see RFC 6749 §5.2 (token error responses)
 */
export class ClientError extends PrmkitError<ClientErrorCode> {
  /** RFC 6749 §5.2 / §4.1.2.1 `error` value returned by the server, if any. */
  readonly oauthError: string | undefined;
  /** HTTP status of the response that caused the failure, if any. */
  readonly status: number | undefined;
  constructor(
    code: ClientErrorCode,
    message: string,
    options: { cause?: unknown; oauthError?: string; status?: number } = {},
  ) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClientError';
    this.oauthError = options.oauthError;
    this.status = options.status;
  }
}
