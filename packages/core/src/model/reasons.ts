import { TOKEN_ERROR_CODES, UPSTREAM_ERROR_CODES } from './errors.js';

/**
 * Every reason a request can be refused for, one per refusal: the `reason` of a decision
 * event, the `error.code` of the refusal `authorize` returns. Stable across versions (new
 * reasons may be added; none is renamed or reused), so log them, count them and alert on
 * them; never parse messages.
 *
 * - request shape (400): `invalid_request`, `multiple_token_methods`,
 *   `multiple_authorization_headers`, `token_method_not_allowed`, `token_malformed`
 * - the token (401 `invalid_token`, or the bare 401 for `token_missing`): `token_too_large`,
 *   `signature_invalid`, `algorithm_not_allowed`, `type_not_allowed`, `token_expired`,
 *   `token_not_yet_valid`, `token_issued_in_future`, `claim_missing`, `claim_invalid`,
 *   `audience_mismatch`, `issuer_mismatch`, `key_not_found`, `token_inactive`,
 *   `verifier_rejected`
 * - scopes (403): `insufficient_scope`
 * - the infrastructure (503 with `Retry-After`): `jwks_unavailable`, `discovery_failed`,
 *   `introspection_failed`, `verifier_failed`, `store_unavailable`, `store_full`
 * - the client (429 with `Retry-After`): `rate_limited`
 *
 * @example
 * ```ts
 * import { DECISION_REASONS } from '@prmkit/core';
 * for (const reason of DECISION_REASONS) counter.add(0, { reason });
 * ```
 * @see RFC 6750 §3.1 (the error codes these map onto), RFC 6585 §4, RFC 9110 §15.6.4
 */
export const DECISION_REASONS = [
  ...TOKEN_ERROR_CODES,
  'insufficient_scope',
  ...UPSTREAM_ERROR_CODES,
  'rate_limited',
] as const;

/** One of {@link DECISION_REASONS}. */
export type DecisionReason = (typeof DECISION_REASONS)[number];

/**
 * Reasons that more often mean "this server is configured wrong" (or its authorization
 * server is down) than "this client sent a bad token": the ones worth a warning.
 *
 * @example
 * ```ts
 * if (MISCONFIGURATION_REASONS.includes(decision.reason)) page(oncall);
 * ```
 * @see RFC 9068 §4 (issuer and audience checks)
 */
export const MISCONFIGURATION_REASONS: readonly DecisionReason[] = [
  'issuer_mismatch',
  'audience_mismatch',
  'type_not_allowed',
  'key_not_found',
  ...UPSTREAM_ERROR_CODES,
];

/** What a decision came to, for metrics: one value per HTTP status family. */
export type DecisionOutcome = 'granted' | 'refused' | 'unavailable' | 'rate_limited';

/**
 * The outcome of a decision with HTTP `status`: 2xx granted, 503 unavailable, 429
 * rate_limited, anything else refused.
 *
 * @example
 * ```ts
 * outcomeOf(503); // 'unavailable'
 * ```
 * @see RFC 9110 §15 (status codes)
 */
export function outcomeOf(status: number): DecisionOutcome {
  if (status < 300) return 'granted';
  if (status === 503) return 'unavailable';
  if (status === 429) return 'rate_limited';
  return 'refused';
}
