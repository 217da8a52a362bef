import { UpstreamError } from '../model/errors.js';
import { checkStoreArguments } from './check.js';
import type { KeyValueStore } from './types.js';

/**
 * The part of a Cloudflare Workers KV namespace binding the store uses (structural, so
 * core needs no Workers types).
 *
 * @example
 * ```ts
 * const kv: KvNamespaceLike = env.PRMKIT_KV; // a [[kv_namespaces]] binding
 * ```
 * @see https://developers.cloudflare.com/kv/api/
 */
export interface KvNamespaceLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

// KV refuses an expirationTtl below 60 s; the exact deadline travels in the value.
const KV_MIN_TTL_SECONDS = 60;

/**
 * A {@link KeyValueStore} on Workers KV, for the introspection cache of a Worker: every
 * isolate and location reads the same answers. KV is eventually consistent and has no
 * atomic operations, so it is not a full `Store` (DPoP replay detection and rate limits
 * need one; use Durable Objects or Redis for those).
 *
 * TTLs are exact: KV's own expiry (60 s at least) only reclaims space, and each value
 * carries its deadline, checked on read. Any KV failure rejects with
 * `UpstreamError('store_unavailable')`.
 *
 * @example
 * ```ts
 * import { createWorkersKvStore } from '@prmkit/core/store';
 *
 * export default {
 *   fetch(request: Request, env: { PRMKIT_KV: KvNamespaceLike }) {
 *     const store = createWorkersKvStore(env.PRMKIT_KV);
 *     // createResourceServer({ ...config, store }) once per isolate
 *   },
 * };
 * ```
 * @see https://developers.cloudflare.com/kv/api/write-key-value-pairs/ (expirationTtl)
 */
export function createWorkersKvStore(
  kv: KvNamespaceLike,
  options: { readonly now?: () => number } = {},
): KeyValueStore {
  const now = options.now ?? Date.now;
  const unavailable = (cause: unknown): never => {
    throw new UpstreamError('store_unavailable', 'the Workers KV namespace failed', { cause });
  };
  return {
    async get(key) {
      checkStoreArguments('get', key);
      const stored = await kv.get(key).catch(unavailable);
      if (stored === null) return undefined;
      const newline = stored.indexOf('\n');
      const deadline = Number(stored.slice(0, newline));
      if (newline < 1 || !Number.isSafeInteger(deadline) || !(now() < deadline)) return undefined;
      return stored.slice(newline + 1);
    },
    async set(key, value, ttlMs) {
      checkStoreArguments('set', key, value, ttlMs);
      const expirationTtl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil(ttlMs / 1000));
      await kv.put(key, `${now() + ttlMs}\n${value}`, { expirationTtl }).catch(unavailable);
    },
    async delete(key) {
      checkStoreArguments('delete', key);
      await kv.delete(key).catch(unavailable);
    },
  };
}
