import type { AuthorizeResult } from '../model/authorize-types.js';
import { PrmkitError } from '../model/errors.js';
import type { Store } from '../state/types.js';
import { hashToken } from '../util/token-hash.js';
import { buildRateLimited } from './refusal.js';

/**
 * Failure-only rate limiting: refused requests are counted per client address and per
 * token; once either count passes `maxFailures` within `windowSeconds`, further refusals
 * become 429 with `Retry-After`. Granted requests (and 403 `insufficient_scope`, which is a
 * valid token) are never counted and never limited, so a valid token is never locked out.
 */
export interface FailureRateLimitOptions {
  /** Refusals allowed per client address, and per token, in one window. Default 20. */
  readonly maxFailures?: number;
  /** Length of the fixed window, seconds. Default 60. */
  readonly windowSeconds?: number;
}

export interface FailureLimiter {
  /** `result`, or a 429 in its place when this refusal is over the limit. */
  limit(
    result: AuthorizeResult,
    clientAddress: string | undefined,
    token: string | undefined,
  ): AuthorizeResult | Promise<AuthorizeResult>;
}

const ADDRESS = /^[0-9A-Za-z.:%_-]{1,64}$/;

/** Refusals that say nothing about a credential: never counted. */
const NOT_COUNTED = new Set(['token_missing']);

export function createFailureLimiter(
  options: FailureRateLimitOptions,
  store: Store,
): FailureLimiter {
  const max = options.maxFailures ?? 20;
  const windowMs = (options.windowSeconds ?? 60) * 1000;
  const count = async (key: string): Promise<number> => {
    try {
      return await store.increment(key, windowMs);
    } catch {
      // A full or unreachable store only loses the count: the request is refused anyway.
      return 0;
    }
  };
  const over = async (address: string | undefined, token: string | undefined) => {
    const counts = await Promise.all([
      address === undefined
        ? 0
        : count(`refusals:ip:${ADDRESS.test(address) ? address : await hashToken(address)}`),
      token === undefined ? 0 : count(`refusals:token:${await hashToken(token)}`),
    ]);
    return counts.some((n) => n > max);
  };
  return {
    limit(result, address, token) {
      if (result.ok || (result.status !== 400 && result.status !== 401)) return result;
      if (NOT_COUNTED.has(result.error.code)) return result;
      return over(address, token).then((limited) =>
        limited
          ? buildRateLimited(
              new PrmkitError(
                'rate_limited',
                `more than ${max} refused requests in ${windowMs / 1000} s`,
                {
                  cause: result.error,
                },
              ),
              windowMs / 1000,
            )
          : result,
      );
    },
  };
}
