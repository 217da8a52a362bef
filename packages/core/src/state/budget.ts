import { PrmkitError, UpstreamError } from '../model/errors.js';

/**
 * Runs one store operation within `timeoutMs`: a store that is slow, unreachable or
 * throws makes the operation reject with `UpstreamError('store_unavailable')` (or the
 * `PrmkitError` the store threw), so the decision waiting for it fails closed in time.
 * The timer is cleared as soon as the operation settles.
 *
 * @example
 * ```ts
 * import { withinStoreBudget } from '@prmkit/core/store';
 *
 * const seen = await withinStoreBudget(() => store.addIfAbsent(key, 300_000), 500);
 * ```
 * @see RFC 6750 §3.1 (a refusal, never an acceptance, when the check cannot be made)
 */
export function withinStoreBudget<T>(operation: () => Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new UpstreamError('store_unavailable', `the store did not answer within ${timeoutMs} ms`),
      );
    }, timeoutMs);
    const fail = (cause: unknown): void => {
      clearTimeout(timer);
      reject(
        cause instanceof PrmkitError
          ? cause
          : new UpstreamError(
              'store_unavailable',
              `the store operation failed: ${cause instanceof Error ? cause.message : String(cause)}`,
              { cause },
            ),
      );
    };
    let pending: Promise<T>;
    try {
      pending = operation();
    } catch (cause) {
      fail(cause);
      return;
    }
    pending.then((value) => {
      clearTimeout(timer);
      resolve(value);
    }, fail);
  });
}
