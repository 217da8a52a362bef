import { createRemoteJWKSet, customFetch, errors } from 'jose';
import type { FetchImplementation, JWSHeaderParameters, FlattenedJWSInput } from 'jose';
import { TokenError, UpstreamError } from '../errors.js';
import { fetchText } from './http.js';

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
}

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
  const fetchImpl: FetchImplementation = async (url, init) => {
    const { status, text } = await fetchText(
      opts.fetch,
      url,
      { method: 'GET', headers: init.headers, signal: init.signal },
      opts.timeout,
    );
    return new Response(text, { status, headers: { 'content-type': 'application/json' } });
  };
  const remote = createRemoteJWKSet(new URL(jwksUri), {
    timeoutDuration: opts.timeout,
    cooldownDuration: opts.cooldown ?? 30_000,
    cacheMaxAge: opts.cacheMaxAge ?? 600_000,
    [customFetch]: fetchImpl,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      throw mapKeySetError(error);
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
