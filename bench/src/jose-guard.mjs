// (d) The "obvious" hand-written guard: jose's createRemoteJWKSet + jwtVerify on every
// request, no cache. Shared by the three frameworks so only the framework glue differs.
import { createRemoteJWKSet, jwtVerify } from 'jose';

/**
 * @param {{ issuer: string, jwksUri: string, resource: string, alg?: string }} env
 * @returns {(authorization: string | undefined) => Promise<import('jose').JWTPayload | undefined>}
 */
export function createJoseGuard(env) {
  const jwks = createRemoteJWKSet(new URL(env.jwksUri));
  return async (authorization) => {
    const match = /^Bearer (.+)$/i.exec(authorization ?? '');
    if (!match) return undefined;
    try {
      const { payload } = await jwtVerify(match[1], jwks, {
        issuer: env.issuer,
        audience: env.resource,
        algorithms: [env.alg ?? 'RS256'],
        typ: 'at+jwt',
      });
      return payload;
    } catch {
      return undefined;
    }
  };
}
