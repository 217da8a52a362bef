import type { AuthInfo, TokenVerifier, VerifyContext } from '../../model/types.js';
import { cacheDeadlineOf } from './cache-deadline.js';
import { freezeAuthInfo } from './freeze-auth-info.js';
import { LruMap } from '../../util/lru-map.js';

/** Options of {@link createCachingVerifier}. */
export interface TokenCacheOptions {
  /** Most tokens kept; the least recently used one is dropped first. Default 10 000. */
  readonly maxEntries?: number;
  /** Longest time a verified token is served from the cache, seconds. Default 300. */
  readonly maxAge?: number;
  /** Current time in milliseconds since the epoch (tests). Default `Date.now`. */
  readonly now?: () => number;
}

/** A {@link TokenVerifier} that remembers successful verifications. */
export interface CachingVerifier extends TokenVerifier {
  /** Tokens currently cached (expired ones count until they are looked up or evicted). */
  readonly size: number;
  /** Forgets every cached token, e.g. after a key compromise; verifications in flight are not stored. */
  clear(): void;
}

interface Entry {
  readonly auth: AuthInfo;
  /** Milliseconds since the epoch; never later than the token's `exp`. */
  readonly expiresAt: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_AGE_SECONDS = 300;

/**
 * Wraps a verifier with a bounded LRU cache of verified tokens, so a client that reuses
 * one access token (as MCP clients do for a whole session) pays for the signature check
 * once instead of on every request.
 *
 * - An entry is served no later than the token's `exp` and no longer than `maxAge`.
 * - Only successes are cached; a refused token is verified again next time.
 * - Concurrent misses for the same token share one verification.
 * - Audience, issuer and signature are checked by `inner` before anything is stored, and
 *   `authorize` checks scopes on every request, hit or miss.
 * - The cached `AuthInfo` is deep-frozen: every request presenting the token shares it.
 * - An inner verifier with a cache of its own (the introspection verifier on its store)
 *   bounds each entry further: it is dropped when the inner cache's answer expires.
 *
 * Keying: entries live in a `Map` keyed by the token string itself. The engine hashes the
 * key (seeded, cached on the string) and a hit still requires the whole token to compare
 * equal, so no collision can ever serve one token's identity for another. A SHA-256 key
 * (`hashToken`) would cost an async WebCrypto round trip (~40 µs measured on Node 20) on
 * every request for no confidentiality gain: the cached `AuthInfo.token` holds the raw
 * token anyway, by contract. Memory stays bounded by `maxEntries` × (token + claims), and
 * the token length is capped by `maxTokenLength` before verification.
 *
 * @example
 * ```ts
 * import { createCachingVerifier, createJwtVerifier } from '@prmkit/core/verify';
 *
 * const verifier = createCachingVerifier(createJwtVerifier(options), { maxEntries: 5000, maxAge: 60 });
 * const auth = await verifier.verify(token); // signature checked once
 * await verifier.verify(token);              // served from the cache until exp or maxAge
 * ```
 * @see RFC 9068 §4 (validation done once by `inner`), RFC 7662 §4 (caching trade-off),
 *   RFC 6750 §5.2 (bearer tokens must not be served past their lifetime)
 */
export function createCachingVerifier(
  inner: TokenVerifier,
  options: TokenCacheOptions = {},
): CachingVerifier {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxAgeMs = (options.maxAge ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError('tokenCache.maxEntries must be a positive integer');
  }
  if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0) {
    throw new RangeError('tokenCache.maxAge must be a finite number of seconds >= 0');
  }
  const now = options.now ?? Date.now;
  const innerDeadline = cacheDeadlineOf(inner);

  const entries = new LruMap<Entry>(maxEntries);
  const inFlight = new Map<string, Promise<AuthInfo>>();
  // Bumped by clear(): a verification that started before it must not repopulate the cache.
  let generation = 0;
  // The most recent hit, checked before the map: an MCP client sends one token for a whole
  // session, and comparing strings is cheaper than hashing a kilobyte-long key.
  let recentToken: string | undefined;
  let recentEntry: Entry | undefined;

  const store = (token: string, auth: AuthInfo, startedIn: number): void => {
    if (startedIn !== generation || maxAgeMs === 0) return;
    const at = now();
    const expiresAt = Math.min(
      typeof auth.expiresAt === 'number' ? auth.expiresAt * 1000 : Infinity,
      innerDeadline?.(auth) ?? Infinity,
      at + maxAgeMs,
    );
    if (!(expiresAt > at)) return;
    const entry = { auth, expiresAt };
    entries.set(token, entry);
    recentToken = token;
    recentEntry = entry;
  };

  const miss = (token: string, context: VerifyContext | undefined): Promise<AuthInfo> => {
    const startedIn = generation;
    let started: Promise<AuthInfo>;
    try {
      started = inner.verify(token, context);
    } catch (error) {
      // A verifier that throws synchronously still fails this request only.
      started = Promise.reject(error);
    }
    const pending = started.then(
      (auth) => {
        inFlight.delete(token);
        const shared = freezeAuthInfo(auth);
        store(token, shared, startedIn);
        return shared;
      },
      (error: unknown) => {
        inFlight.delete(token);
        throw error;
      },
    );
    inFlight.set(token, pending);
    return pending;
  };

  // The hit path runs on every request: one comparison (or lookup), one clock read.
  const peek = (token: string): AuthInfo | undefined => {
    if (token === recentToken && recentEntry !== undefined && now() < recentEntry.expiresAt) {
      return recentEntry.auth;
    }
    const entry = entries.get(token);
    if (entry === undefined) return undefined;
    if (now() < entry.expiresAt) {
      recentToken = token;
      recentEntry = entry;
      return entry.auth;
    }
    entries.delete(token);
    if (token === recentToken) recentToken = recentEntry = undefined;
    return undefined;
  };

  return {
    peek,
    verify(token: string, context?: VerifyContext): Promise<AuthInfo> {
      const hit = peek(token);
      if (hit !== undefined) return Promise.resolve(hit);
      return inFlight.get(token) ?? miss(token, context);
    },
    get size() {
      return entries.size;
    },
    clear() {
      generation += 1;
      entries.clear();
      recentToken = recentEntry = undefined;
    },
  };
}
