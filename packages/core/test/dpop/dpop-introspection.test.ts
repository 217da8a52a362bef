import { createDpopTestKey, readBody } from '@prmkit/testing';
import { describe, expect, it } from 'vitest';
import { createResourceServer, findChallenge, parseWwwAuthenticate } from '../../src/index.js';
import { startServer } from '../token/helpers.js';

const ISSUER = 'https://as.example.com';

// An RFC 7662 endpoint on loopback that answers for one opaque token bound to `jkt`.
async function introspection(jkt: string, token: string) {
  const srv = await startServer(async (req, res) => {
    const form = new URLSearchParams(await readBody(req));
    const active = form.get('token') === token;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        active
          ? {
              active: true,
              iss: ISSUER,
              aud: resourceOf(srv.url),
              sub: 'user-1',
              client_id: 'client-1',
              scope: 'mcp:tools',
              iat: Math.floor(Date.now() / 1000),
              exp: Math.floor(Date.now() / 1000) + 600,
              token_type: 'DPoP',
              cnf: { jkt },
            }
          : { active: false },
      ),
    );
  });
  return srv;
}
const resourceOf = (origin: string) => `${origin}/mcp`;

describe('DPoP with introspection: cnf.jkt from the introspection answer', () => {
  it('accepts the proof of the bound key, refuses another key and the token as Bearer', async () => {
    const key = await createDpopTestKey('ES256');
    const other = await createDpopTestKey('ES256');
    const token = 'opaque-dpop-bound-token-0123456789';
    const srv = await introspection(key.jkt, token);
    const resource = resourceOf(srv.url);
    const rs = createResourceServer({
      resource,
      authorizationServers: [ISSUER],
      allowHttp: 'loopback',
      introspection: {
        endpoint: `${srv.url}/introspect`,
        clientAuth: { method: 'client_secret_basic', clientId: 'rs', clientSecret: 'secret' },
      },
      dpop: { mode: 'allowed' },
    });
    const request = async (signer: typeof key) => ({
      method: 'GET',
      url: '/mcp',
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await signer.proof({ method: 'GET', url: resource, accessToken: token }),
      },
    });
    const ok = await rs.authorize(await request(key));
    expect(ok.ok ? 'ok' : `${ok.error.code}: ${ok.error.message}`).toBe('ok');
    const wrong = await rs.authorize(await request(other));
    if (wrong.ok) throw new Error('a proof by another key was accepted');
    expect(wrong.error.code).toBe('dpop_key_mismatch');
    const dpop = findChallenge(
      parseWwwAuthenticate(wrong.headers['www-authenticate'] ?? ''),
      'DPoP',
    );
    expect(dpop?.params.error).toBe('invalid_dpop_proof');
    const asBearer = await rs.authorize({
      method: 'GET',
      url: '/mcp',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(asBearer).toMatchObject({ ok: false, error: { code: 'dpop_bound_token_as_bearer' } });
  });
});
