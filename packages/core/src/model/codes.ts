/**
 * The one table from a code to its answer: the HTTP status of the refusal, the error code
 * its challenge and body carry (RFC 6750 §3.1, RFC 9449 §7.1), and the family it belongs
 * to. The code lists, the decision reasons, the refusal builder and the docs all derive
 * from it; nothing else maps a code to a status.
 */

/** Error codes a `WWW-Authenticate` challenge may carry: RFC 6750 §3.1, RFC 9449 §7.1 / §9. */
export type ChallengeErrorCode =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce';

/** What a code means for the request it refuses. */
export interface CodeRule {
  /**
   * The refusal's HTTP status; `undefined` for codes that never answer a request (a bad
   * configuration, a header value that cannot be written: both thrown to the developer).
   */
  readonly status: 400 | 401 | 403 | 404 | 429 | 503 | undefined;
  /**
   * The challenge's `error`; `undefined` on a 401 is the bare challenge, which carries no
   * error code because the request had no credentials to judge (RFC 6750 §3.1).
   */
  readonly challengeError: ChallengeErrorCode | undefined;
  /** Which error class reports it. */
  readonly family:
    'request' | 'token' | 'dpop' | 'scope' | 'upstream' | 'client' | 'developer' | 'routing';
  /**
   * Set for a refusal that is not OAuth's: its body is a JSON-RPC error response with this
   * code and it carries no challenge (MCP SEP-2243 `HeaderMismatch`, -32020).
   */
  readonly jsonRpcError?: number;
}

const request = { status: 400, challengeError: 'invalid_request', family: 'request' } as const;
const token = { status: 401, challengeError: 'invalid_token', family: 'token' } as const;
const bare = { status: 401, challengeError: undefined, family: 'token' } as const;
const proof = { status: 401, challengeError: 'invalid_dpop_proof', family: 'dpop' } as const;
const dpopToken = { status: 401, challengeError: 'invalid_token', family: 'dpop' } as const;
const upstream = { status: 503, challengeError: undefined, family: 'upstream' } as const;
const developer = { status: undefined, challengeError: undefined, family: 'developer' } as const;

/**
 * Every code the core reports, in a stable order, with its answer.
 *
 * @example
 * ```ts
 * import { CODE_TABLE } from '@prmkit/core';
 * CODE_TABLE.token_too_large; // { status: 401, challengeError: 'invalid_token', family: 'token' }
 * ```
 * @see RFC 6750 §3.1 (400/401/403 and their error codes), RFC 9449 §7.1 (DPoP),
 *   RFC 9110 §15.6.4 (503), RFC 6585 §4 (429)
 */
export const CODE_TABLE = Object.freeze({
  config_invalid: developer,
  // the request's shape (RFC 6750 §2, §3.1 invalid_request)
  invalid_request: request,
  multiple_token_methods: request,
  multiple_authorization_headers: request,
  token_method_not_allowed: request,
  // MCP request headers that disagree with the body (SEP-2243): 400, a JSON-RPC -32020 body,
  // no challenge (no token would fix it)
  header_mismatch: {
    status: 400,
    challengeError: undefined,
    family: 'request',
    jsonRpcError: -32020,
  },
  token_malformed: token,
  // the token (RFC 6750 §3.1 invalid_token; no credentials: the bare 401)
  token_too_large: token,
  token_missing: bare,
  signature_invalid: token,
  algorithm_not_allowed: token,
  type_not_allowed: token,
  token_expired: token,
  token_not_yet_valid: token,
  token_issued_in_future: token,
  claim_missing: token,
  claim_invalid: token,
  audience_mismatch: token,
  issuer_mismatch: token,
  key_not_found: token,
  token_inactive: token,
  verifier_rejected: token,
  // delegation (RFC 8693 §4.1): the current actor is not an allowed client
  actor_not_allowed: token,
  // DPoP (RFC 9449 §7.1)
  dpop_proof_missing: proof,
  dpop_proof_invalid: proof,
  dpop_proof_replayed: proof,
  dpop_nonce_required: { status: 401, challengeError: 'use_dpop_nonce', family: 'dpop' },
  dpop_key_mismatch: proof,
  dpop_token_not_bound: dpopToken,
  dpop_bound_token_as_bearer: dpopToken,
  dpop_required: { status: 401, challengeError: undefined, family: 'dpop' },
  // certificate-bound tokens (RFC 8705 §3: invalid_token); a certificate that cannot be
  // read (a garbled proxy header, not one DER SEQUENCE) is a malformed request
  mtls_certificate_missing: token,
  mtls_certificate_mismatch: token,
  mtls_token_not_bound: token,
  mtls_certificate_invalid: request,
  // scopes (RFC 6750 §3.1 insufficient_scope)
  insufficient_scope: { status: 403, challengeError: 'insufficient_scope', family: 'scope' },
  // the authorization infrastructure: 503 with Retry-After, never "your token is bad"
  jwks_unavailable: upstream,
  discovery_failed: upstream,
  introspection_failed: upstream,
  verifier_failed: upstream,
  store_unavailable: upstream,
  store_full: upstream,
  // too many refused requests from one client (RFC 6585 §4)
  rate_limited: { status: 429, challengeError: undefined, family: 'client' },
  // header grammar
  header_value_invalid: developer,
  // a ResourceServerSet has no resource at the request's path: 404, no challenge (no
  // resource to point at). Never a decision event: no resource decided.
  resource_not_found: { status: 404, challengeError: undefined, family: 'routing' },
  // signed metadata (RFC 9728 §2.2) could not be produced; the metadata answers 503 meanwhile
  metadata_signing_failed: developer,
} as const satisfies Record<string, CodeRule>);

/** A code of the core: a key of {@link CODE_TABLE}. */
export type CoreCode = keyof typeof CODE_TABLE;

type Family<F extends CodeRule['family']> = {
  [K in CoreCode]: (typeof CODE_TABLE)[K]['family'] extends F ? K : never;
}[CoreCode];

/** Codes of one family (or several), in table order. */
export function codesOf<F extends CodeRule['family']>(...families: F[]): Family<F>[] {
  return (Object.keys(CODE_TABLE) as CoreCode[]).filter((code) =>
    (families as string[]).includes(CODE_TABLE[code].family),
  ) as Family<F>[];
}

/**
 * The challenge error of a refusal for `code`, presented with `scheme`. The DPoP error
 * codes belong to the DPoP scheme only (RFC 9449 §7.1): a Bearer challenge says
 * `invalid_token` instead.
 */
export function challengeErrorFor(
  code: CoreCode,
  scheme: 'Bearer' | 'DPoP',
): ChallengeErrorCode | undefined {
  const error = CODE_TABLE[code].challengeError;
  if (scheme === 'Bearer' && (error === 'invalid_dpop_proof' || error === 'use_dpop_nonce'))
    return 'invalid_token';
  return error;
}
