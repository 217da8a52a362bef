import { codesOf } from './codes.js';
import { UPSTREAM_ERROR_CODES } from './errors.js';

/**
 * Every reason a request can be refused for, one per refusal: the `reason` of a decision
 * event, the `error.code` of the refusal `authorize` returns. Stable across versions (new
 * reasons may be added; none is renamed or reused), so log them, count them and alert on
 * them; never parse messages. These are the codes of `CODE_TABLE` that answer a request;
 * the table gives each one's status (400, 401, 403, 429 or 503) and challenge error.
 *
 * @example
 * ```ts
 * import { CODE_TABLE, DECISION_REASONS } from '@prmkit/core';
 * for (const reason of DECISION_REASONS) console.log(reason, CODE_TABLE[reason].status);
 * ```
 * @see RFC 6750 §3.1 (the error codes these map onto), RFC 6585 §4, RFC 9110 §15.6.4
 */
export const DECISION_REASONS = Object.freeze(
  codesOf('request', 'token', 'dpop', 'scope', 'upstream', 'client'),
);

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
