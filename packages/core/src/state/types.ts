/**
 * The part of a store a cache needs: values that expire. Every call is async so that a
 * store may live in another process (Redis) or another service (Workers KV).
 *
 * Keys are printable ASCII without spaces, at most {@link STORE_LIMITS}.maxKeyLength
 * characters; values are strings of at most {@link STORE_LIMITS}.maxValueLength
 * characters. prmkit names its keys `<feature>:<SHA-256 of the token>` and never puts a
 * token in a key or a value.
 *
 * @example
 * ```ts
 * import { createMemoryStore, type KeyValueStore } from '@prmkit/core/store';
 *
 * const store: KeyValueStore = createMemoryStore();
 * await store.set('introspection:abc', '{"active":true}', 60_000);
 * await store.get('introspection:abc'); // '{"active":true}' for the next 60 s
 * ```
 * @see RFC 7662 §4 (caching introspection answers), RFC 6819 §5.1.4.1.3 (no tokens in clear)
 */
export interface KeyValueStore {
  /** The value, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs` milliseconds (a positive integer), replacing any value. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Removes `key`; absent keys are not an error. */
  delete(key: string): Promise<void>;
}

/**
 * A {@link KeyValueStore} with the two atomic operations shared state needs across
 * instances: add-if-absent (replay detection: a DPoP proof's `jti` seen once) and
 * increment-with-TTL (rate-limit counters). Both must be atomic across every process
 * that shares the store; an implementation that cannot promise that (Workers KV) offers
 * only {@link KeyValueStore}.
 *
 * An operation that cannot be completed (store unreachable, too slow, full) rejects with
 * an `UpstreamError` (`store_unavailable`, `store_full`), so every decision that depends
 * on it fails closed.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from '@prmkit/core/store';
 *
 * const store = createMemoryStore();
 * await store.addIfAbsent('dpop-jti:…', 300_000); // true: first time seen
 * await store.addIfAbsent('dpop-jti:…', 300_000); // false: a replay
 * await store.increment('refusals:203.0.113.7', 60_000); // 1, then 2, … for 60 s
 * ```
 * @see RFC 9449 §11.1 (DPoP proof replay), RFC 6585 §4 (429 Too Many Requests)
 */
export interface Store extends KeyValueStore {
  /**
   * Creates `key` for `ttlMs` milliseconds unless it exists. Resolves `true` when this
   * call created it, `false` when it was already there (and leaves its TTL alone).
   */
  addIfAbsent(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Adds one to the counter at `key` and resolves the new count. The first increment
   * creates it with a TTL of `ttlMs` milliseconds; later ones keep that deadline (a fixed
   * window). A key holding a value that is not a decimal integer rejects with a
   * `TypeError`. `get` reads a counter as its decimal string, a marker as `'1'`.
   */
  increment(key: string, ttlMs: number): Promise<number>;
}

/**
 * Bounds every store implementation enforces on its arguments.
 *
 * @example
 * ```ts
 * import { STORE_LIMITS } from '@prmkit/core/store';
 * if (json.length <= STORE_LIMITS.maxValueLength) await store.set(key, json, ttl);
 * ```
 * @see RFC 6819 §5.1.4.1.3
 */
export const STORE_LIMITS = Object.freeze({
  /** Longest key, characters. */
  maxKeyLength: 512,
  /** Longest value, characters (UTF-16 code units). */
  maxValueLength: 65_536,
  /** Longest TTL, milliseconds (one year). */
  maxTtlMs: 366 * 24 * 3600 * 1000,
});
