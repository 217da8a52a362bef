import type { AuthorizeResult } from './authorize-types.js';
import type { RequestLike } from './types.js';

/** What one decision noticed on the way, filled in by `authorize`. */
export interface DecisionTrace {
  /** The extracted token, if one was found (never reported, only fingerprinted). */
  token: string | undefined;
  /** Whether the verified-token cache answered. */
  cacheHit: boolean;
  /** Where the client certificate came from (mTLS on); `undefined` when mTLS is off. */
  certificate?: 'tls' | 'header' | 'none';
  /** The scheme the token came with (a refusal after the decision answers the same one). */
  scheme: 'Bearer' | 'DPoP';
}

/** Reports decisions to `onDecision` and the logger; watches `Host`. */
export interface DecisionObserver {
  /** Called before each decision with the request's headers. */
  readonly watchRequest: ((req: RequestLike) => void) | undefined;
  report(
    req: RequestLike,
    result: AuthorizeResult,
    required: readonly string[],
    durationMs: number,
    trace: DecisionTrace,
  ): void;
}
