export {
  DECISION_REASONS,
  type DecisionOutcome,
  type DecisionReason,
  MISCONFIGURATION_REASONS,
  outcomeOf,
} from '../model/reasons.js';
export { type PrmkitLogger, WARN_INTERVAL_MS } from './logger.js';
export type { FailureRateLimitOptions } from '../decide/rate-limit.js';
export type { ReceivedValues } from './token-facts.js';
export { tokenFingerprint } from './fingerprint.js';
