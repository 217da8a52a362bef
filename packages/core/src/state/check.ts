import { STORE_LIMITS } from './types.js';

// Printable ASCII except space: safe in Redis keys, KV keys, logs and URLs alike.
const KEY = /^[\x21-\x7E]+$/;

/** The store operations, named as in {@link Store}. */
export type StoreOperation = 'get' | 'set' | 'delete' | 'addIfAbsent' | 'increment';

/**
 * Throws a `TypeError` or `RangeError` for arguments no store accepts: a key that is
 * empty, too long or not printable ASCII without spaces; for `set`, a value that is not a
 * string or is too long; for `set`, `addIfAbsent` and `increment`, a TTL that is not a
 * whole number of milliseconds from 1 ms to one year. Every implementation calls it
 * first, so all of them refuse the same inputs.
 *
 * @example
 * ```ts
 * import { checkStoreArguments } from '@prmkit/core/store';
 *
 * async function set(key: string, value: string, ttlMs: number) {
 *   checkStoreArguments('set', key, value, ttlMs);
 *   // … write it
 * }
 * ```
 * @see RFC 6819 §5.1.4.1.3
 */
export function checkStoreArguments(
  operation: StoreOperation,
  key: string,
  value?: string,
  ttlMs?: number,
): void {
  if (typeof key !== 'string' || key.length > STORE_LIMITS.maxKeyLength || !KEY.test(key)) {
    throw new TypeError(
      `store key must be 1..${STORE_LIMITS.maxKeyLength} printable ASCII characters without spaces`,
    );
  }
  if (operation === 'set') {
    if (typeof value !== 'string') throw new TypeError('store value must be a string');
    if (value.length > STORE_LIMITS.maxValueLength) {
      throw new RangeError(`store value longer than ${STORE_LIMITS.maxValueLength} characters`);
    }
  }
  if (operation === 'set' || operation === 'addIfAbsent' || operation === 'increment') {
    if (
      typeof ttlMs !== 'number' ||
      !Number.isSafeInteger(ttlMs) ||
      ttlMs < 1 ||
      ttlMs > STORE_LIMITS.maxTtlMs
    ) {
      throw new RangeError('store TTL must be a whole number of milliseconds, 1 ms to one year');
    }
  }
}

/** Whether `value` is a counter's decimal string (what `increment` accepts). */
export function isCounterText(value: string): boolean {
  return /^-?\d{1,15}$/.test(value);
}
