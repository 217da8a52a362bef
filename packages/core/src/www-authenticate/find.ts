import type { Challenge } from './challenge.js';
import { asciiLower } from './charsets.js';

/**
 * The first challenge whose scheme matches `scheme`, compared ASCII case-insensitively
 * (auth-scheme is case-insensitive).
 *
 * @example
 * ```ts
 * const bearer = findChallenge(parseWwwAuthenticate(header), 'Bearer');
 * const scope = bearer?.params.scope;
 * ```
 * @see RFC 9110 §11.1
 * @see RFC 9110 §11.6.1
 */
export function findChallenge(
  challenges: readonly Challenge[],
  scheme: string,
): Challenge | undefined {
  if (!Array.isArray(challenges) || typeof scheme !== 'string') return undefined;
  const wanted = asciiLower(scheme);
  return challenges.find((c) => typeof c?.scheme === 'string' && asciiLower(c.scheme) === wanted);
}
