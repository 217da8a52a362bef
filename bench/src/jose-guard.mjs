// (d) The "obvious" hand-written guard: jose's createRemoteJWKSet + jwtVerify on every
// request, no cache. Shared by the three frameworks so only the framework glue differs.
import { createPublicKey, verify } from 'node:crypto';
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

/**
 * (f) The floor for a new token over HTTP: a minimal hand-written node:crypto check
 * (split, base64url-decode, `verify` with a `KeyObject` prepared once from the JWKS,
 * `JSON.parse`, then iss/aud/exp/typ), with the same async shape as the jose guard so
 * only the check differs. Nothing else a real verifier needs (no kid lookup, no refresh).
 * @param {{ issuer: string, jwksUri: string, resource: string, alg?: string }} env
 * @returns {Promise<(authorization: string | undefined) => Promise<Record<string, unknown> | undefined>>}
 */
export async function createMinimalGuard(env) {
  const { keys } = await (await fetch(env.jwksUri)).json();
  const key = createPublicKey({ key: keys[0], format: 'jwk' });
  const options = env.alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : { key };
  return async (authorization) => {
    const match = /^Bearer (.+)$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const [h, p, s] = match[1].split('.');
    if (!verify('sha256', Buffer.from(`${h}.${p}`), options, Buffer.from(s, 'base64url')))
      return undefined;
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const fresh = typeof payload.exp === 'number' && payload.exp * 1000 > Date.now();
    if (header.typ !== 'at+jwt' || payload.iss !== env.issuer || !fresh) return undefined;
    return [payload.aud].flat().includes(env.resource) ? payload : undefined;
  };
}

/**
 * The hand-written guard of a case: `jose` (d) or `minimal` (f).
 * @param {{ variant: string, issuer: string, jwksUri: string, resource: string, alg?: string }} env
 */
export async function handWrittenGuard(env) {
  return env.variant === 'minimal' ? createMinimalGuard(env) : createJoseGuard(env);
}
