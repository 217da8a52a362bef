import type { AuthInfo, TokenVerifier } from '../../model/types.js';

/**
 * Where a verifier with a cache of its own (introspection, on a possibly shared store)
 * says how long a result it returned may be reused: milliseconds since the epoch, or
 * `undefined` for no limit of its own. The verified-token cache in front of it never keeps
 * the result longer, so the in-process copy of a shared answer expires with the shared
 * answer, and a revocation reaches every instance within the shared cache's max age.
 */
export const CACHE_DEADLINE: unique symbol = Symbol('prmkit.cacheDeadline');

/** A verifier that knows how long each of its results may be reused. */
export interface DeadlineAwareVerifier extends TokenVerifier {
  readonly [CACHE_DEADLINE]: (auth: AuthInfo) => number | undefined;
}

/** The deadline function of `verifier`, when it has one. */
export function cacheDeadlineOf(
  verifier: TokenVerifier,
): ((auth: AuthInfo) => number | undefined) | undefined {
  const deadline = (verifier as Partial<DeadlineAwareVerifier>)[CACHE_DEADLINE];
  return typeof deadline === 'function' ? deadline : undefined;
}
