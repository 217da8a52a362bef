import { createRemoteJWKSet, customFetch, errors } from 'jose';
import type { FetchImplementation, JWSHeaderParameters, FlattenedJWSInput } from 'jose';
import { TokenError, UpstreamError } from '../../model/errors.js';
import { withoutStackTraces } from '../../util/no-stack.js';
import { fetchText, isJsonObject } from './http.js';

/** Options of a remote key set. */
export interface RemoteKeySetOptions {
  /** `fetch` used for the JWKS. */
  readonly fetch: typeof fetch;
  /** Time budget of one JWKS request, ms. */
  readonly timeout: number;
  /** Least time between two refreshes triggered by an unknown `kid`, ms. Default 30 000. */
  readonly cooldown?: number;
  /** Keys are refetched once older than this, ms. Default 600 000. */
  readonly cacheMaxAge?: number;
  /**
   * After a failed fetch (unreachable, slow, not 200, not a key set), no request reaches the
   * JWKS for this long, ms; tokens that need it are refused as `jwks_unavailable` at once,
   * with `retryAfter`. Default 5 000.
   */
  readonly failureCooldown?: number;
  /** Current time in milliseconds (tests). Default `Date.now`. */
  readonly now?: () => number;
}

/** A fetch skipped because the last one failed recently. */
class CoolingDown extends Error {}

/** Resolves the verification key for a JWS header; see {@link createRemoteKeySet}. */
export type KeyResolver = (
  header: JWSHeaderParameters,
  token: FlattenedJWSInput,
) => Promise<CryptoKey>;

/**
 * The keys at one JWKS URL, cached, refreshed when a token names an unknown `kid` (at
 * most once per cooldown), and fail-closed: an unreachable, slow, failing or garbled
 * JWKS gives `UpstreamError('jwks_unavailable')`; no usable key gives
 * `TokenError('key_not_found')`. Keys are chosen by `kid`, `alg` and `kty` only;
 * `jku`, `x5u`, `jwk` and `x5c` headers are never looked at.
 *
 * When several keys match (no `kid`), the resolver throws jose's
 * `JWKSMultipleMatchingKeys`, which iterates over the candidates; the caller tries each.
 */
export function createRemoteKeySet(jwksUri: string, opts: RemoteKeySetOptions): KeyResolver {
  const now = opts.now ?? Date.now;
  const failureCooldown = opts.failureCooldown ?? 5000;
  // jose records a fetch time only on success; a failing JWKS must cool down too, or every
  // request (and every forged token naming the public `iss`) would hit it again.
  let failedUntil = 0;
  const secondsLeft = (): number => Math.max(1, Math.ceil((failedUntil - now()) / 1000));
  const fetchImpl: FetchImplementation = async (url, init) => {
    if (now() < failedUntil) throw new CoolingDown();
    try {
      const { status, text } = await fetchText(
        opts.fetch,
        url,
        { method: 'GET', headers: init.headers, signal: init.signal },
        opts.timeout,
      );
      if (status !== 200) throw new Error(`JWKS answered ${status}`);
      const parsed: unknown = JSON.parse(text);
      if (!isJsonObject(parsed) || !Array.isArray(parsed.keys)) throw new Error('not a key set');
      return new Response(text, { status, headers: { 'content-type': 'application/json' } });
    } catch (error) {
      failedUntil = now() + failureCooldown;
      throw error;
    }
  };
  const remote = createRemoteJWKSet(new URL(jwksUri), {
    timeoutDuration: opts.timeout,
    cooldownDuration: opts.cooldown ?? 30_000,
    cacheMaxAge: opts.cacheMaxAge ?? 600_000,
    [customFetch]: fetchImpl,
  });
  return async (header, token) => {
    try {
      // jose throws JWKSNoMatchingKey synchronously for a kid it lacks (each token of an
      // unknown-kid flood); it is mapped to key_not_found below, its stack never needed.
      return await withoutStackTraces(() => remote(header, token));
    } catch (error) {
      const mapped = mapKeySetError(error);
      if (!(mapped instanceof UpstreamError)) throw mapped;
      // The key set answered with something unusable after the fetch: cool down as well.
      if (failedUntil <= now()) failedUntil = now() + failureCooldown;
      throw new UpstreamError('jwks_unavailable', mapped.message, {
        cause: error,
        retryAfter: secondsLeft(),
      });
    }
  };
}

function mapKeySetError(error: unknown): unknown {
  if (error instanceof errors.JWKSMultipleMatchingKeys) return error;
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new TokenError('key_not_found', 'no key of the authorization server matches the token', {
      cause: error,
    });
  }
  if (error instanceof errors.JOSENotSupported) {
    return new TokenError(
      'algorithm_not_allowed',
      'the token algorithm cannot be used with a key set',
      {
        cause: error,
      },
    );
  }
  return new UpstreamError('jwks_unavailable', 'the JSON Web Key Set could not be loaded', {
    cause: error,
  });
}
