/**
 * The asymmetric JWS algorithms accepted by default: RS256/384/512, PS256/384/512,
 * ES256/384/512, EdDSA and Ed25519. An explicit allow-list, so `none` and HS* (which would
 * let a public key act as an HMAC secret) are never accepted by accident.
 *
 * @example
 * ```ts
 * // Narrow the default list rather than widen it:
 * const rs = createResourceServer({
 *   resource: 'https://api.example.com/mcp',
 *   authorizationServers: ['https://auth.example.com'],
 *   jwt: { algorithms: DEFAULT_JWT_ALGORITHMS.filter((alg) => alg.startsWith('ES')) },
 * });
 * ```
 * @see RFC 8725 §3.1, RFC 9068 §4
 */
export const DEFAULT_JWT_ALGORITHMS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** HMAC algorithms: only with a configured shared secret, and then only these. */
export const HMAC_ALGORITHMS: readonly string[] = ['HS256', 'HS384', 'HS512'];

/**
 * What is wrong with an `alg` allow-list, per entry: the one rule behind both
 * `createResourceServer`'s config check and `createJwtVerifier`'s. `none` never; HS* only
 * with a secret and then nothing else (a public key must never act as an HMAC key); and
 * nothing outside the known algorithms.
 */
export function algorithmProblems(
  algorithms: readonly string[],
  hasSecret: boolean,
): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  algorithms.forEach((alg, index) => {
    const hmac = HMAC_ALGORITHMS.includes(alg);
    let message: string | undefined;
    if (alg.toLowerCase() === 'none') message = '"none" is never an acceptable algorithm';
    else if (!hmac && !DEFAULT_JWT_ALGORITHMS.includes(alg)) {
      message = `unsupported algorithm ${JSON.stringify(alg)}`;
    } else if (hmac && !hasSecret) {
      message = `${alg} needs jwt.secret (symmetric key); prefer an asymmetric algorithm`;
    } else if (!hmac && hasSecret) {
      message = `${alg} cannot be mixed with jwt.secret: a secret enables HS256/384/512 only`;
    }
    if (message) problems.push({ index, message });
  });
  return problems;
}
