import type { ResourceServerConfig } from '../config-types.js';
import type { TokenVerifier } from '../types.js';
import { createCachingVerifier } from './caching-verifier.js';

/**
 * Applies the `tokenCache` setting to the verifier `createResourceServer` chose. The
 * built-in JWT and introspection verifiers are cached unless `tokenCache: false`; a
 * verifier of your own is cached only when `tokenCache` is given as an object, since it
 * may do per-request checks (revocation lists, ...) that a cache would skip.
 *
 * @example
 * ```ts
 * const verifier = withTokenCache(createJwtVerifier(options), config.tokenCache, false);
 * ```
 * @see RFC 7662 §4 (caching validation results is a trade-off the resource server makes)
 */
export function withTokenCache(
  verifier: TokenVerifier,
  setting: ResourceServerConfig['tokenCache'],
  custom: boolean,
): TokenVerifier {
  if (setting === false || (custom && setting === undefined)) return verifier;
  return createCachingVerifier(verifier, setting ?? {});
}
