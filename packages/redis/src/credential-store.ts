import type { KeyValueStore } from '@prmkit/core/store';
import { tokenStoreKey } from '@prmkit/core/store';
import type { CredentialStore, StoreKey, StoredCredentials } from '@prmkit/client';
import { storeKeyId } from '@prmkit/client';
import { importCredentialKey, openText, sealText } from './credential-cipher.js';

/** Options of {@link createRedisCredentialStore}. */
export interface RedisCredentialStoreOptions {
  /** Where the sealed credentials live: a `createRedisStore()` every client process shares. */
  readonly store: KeyValueStore;
  /**
   * 32 random bytes (or their base64url text) that encrypt the credentials at rest with
   * AES-256-GCM. Every process sharing the credentials needs the same key; Redis never
   * sees it. Generate one with `openssl rand -base64 32 | tr '+/' '-_' | tr -d '='`.
   */
  readonly encryptionKey: Uint8Array | string;
  /** How long an entry lives after its last write, ms. Default 30 days. */
  readonly ttlMs?: number;
}

/**
 * Thrown when stored credentials cannot be decrypted: another `encryptionKey`, or the
 * entry was tampered with or moved under another (resource, issuer). Never ignored, so a
 * wrong key is noticed instead of silently signing in again.
 *
 * @example
 * ```ts
 * try { await store.get(key); } catch (e) {
 *   if (e instanceof CredentialDecryptionError) console.error('check PRMKIT_CREDENTIAL_KEY');
 * }
 * ```
 * @see RFC 5116 §2.2 (authenticated decryption fails closed)
 */
export class CredentialDecryptionError extends Error {
  override readonly name = 'CredentialDecryptionError';
  readonly code = 'credentials_undecryptable';
}

const NAMESPACE = 'client-credentials';
const DEFAULT_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * A `@prmkit/client` credential store on a shared prmkit store (Redis), for a fleet of
 * client processes that use one registration and one token set per (resource,
 * authorization server): the first process registers and signs in, the others reuse what
 * it stored. Each entry (client registration and tokens) is sealed with AES-256-GCM under
 * your key, with the (resource, issuer) pair as authenticated data, so Redis holds no
 * readable token and an entry moved to another key does not decrypt. The Redis key is the
 * SHA-256 of the pair, never a URL or a token.
 *
 * DPoP-bound tokens (RFC 9449) are not shared: their key is non-extractable, so they stay
 * in the memory of the process that obtained them and Redis keeps the client only.
 *
 * Writes are last-writer-wins: two processes refreshing at the same moment each store a
 * valid set. With refresh-token rotation one of them may later need to sign in again.
 *
 * @example
 * ```ts
 * import { createAuthFetch } from '@prmkit/client';
 * import { createRedisStore } from '@prmkit/redis';
 * import { createRedisCredentialStore } from '@prmkit/redis/credentials';
 *
 * const shared = createRedisStore({ url: process.env.REDIS_URL });
 * await shared.ready; // operations fail until the first connection is up
 * const store = createRedisCredentialStore({
 *   store: shared,
 *   encryptionKey: process.env.PRMKIT_CREDENTIAL_KEY!, // 32 bytes, base64url
 * });
 * const authFetch = createAuthFetch({ store, redirectUri, openAuthorizationUrl });
 * ```
 * @see RFC 6749 §10.3, §10.4 (token confidentiality), RFC 9728 §7.6 (credentials bound to one resource and issuer)
 */
export function createRedisCredentialStore(options: RedisCredentialStoreOptions): CredentialStore {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) {
    throw new RangeError('ttlMs must be a positive whole number of milliseconds');
  }
  const key = importCredentialKey(options.encryptionKey);
  key.catch(() => undefined); // reported by every call below, not as an unhandled rejection
  const store = options.store;
  const context = (storeKey: StoreKey): string => `prmkit-credentials:${storeKeyId(storeKey)}`;
  const storeKeyFor = (storeKey: StoreKey): Promise<string> =>
    tokenStoreKey(NAMESPACE, storeKeyId(storeKey));

  // DPoP-bound tokens: their key is non-extractable, so neither Redis nor another process
  // can hold it. They stay in this process's memory; Redis keeps the client registration.
  const live = new Map<string, StoredCredentials>();

  return {
    async get(storeKey) {
      const held = live.get(storeKeyId(storeKey));
      if (held) return held;
      const cryptoKey = await key;
      const sealed = await store.get(await storeKeyFor(storeKey));
      if (sealed === undefined) return undefined;
      const text = await openText(cryptoKey, sealed, context(storeKey));
      if (text === undefined) {
        throw new CredentialDecryptionError(
          'the stored credentials cannot be decrypted: another encryptionKey, or tampered with',
        );
      }
      return JSON.parse(text) as StoredCredentials;
    },
    async set(storeKey, value) {
      const bound = value.tokens?.dpopKey !== undefined;
      if (bound) live.set(storeKeyId(storeKey), value);
      else live.delete(storeKeyId(storeKey));
      const kept = bound ? { client: value.client } : value;
      const sealed = await sealText(await key, JSON.stringify(kept), context(storeKey));
      await store.set(await storeKeyFor(storeKey), sealed, ttlMs);
    },
    async delete(storeKey) {
      live.delete(storeKeyId(storeKey));
      await store.delete(await storeKeyFor(storeKey));
    },
  };
}
