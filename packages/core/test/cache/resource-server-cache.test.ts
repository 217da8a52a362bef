import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier } from '@prmkit/core/verify';
import { createResourceServer } from '@prmkit/core';
import type { AuthInfo, ResourceServerConfig, TokenVerifier } from '@prmkit/core';
import { createTestIssuer, type TestIssuer } from '@prmkit/testing';

const resource = 'http://127.0.0.1:4999/mcp';
let as: TestIssuer;

beforeAll(async () => {
  as = await createTestIssuer({ audience: resource, scope: 'mcp:tools' });
});
afterAll(async () => {
  await as.close();
});

function server(extra: Partial<ResourceServerConfig> = {}) {
  return createResourceServer({
    resource,
    authorizationServers: [as.issuer],
    allowHttp: 'loopback',
    jwt: { jwksUri: as.jwksUri },
    ...extra,
  });
}

const get = (token: string) => ({
  method: 'GET',
  url: '/mcp',
  headers: { authorization: `Bearer ${token}` },
});

describe('tokenCache through createResourceServer', () => {
  it('verifies a real token once; the second request does not re-verify', async () => {
    // The real JWT verifier, wrapped only to count how often the cache calls it.
    const jwt = createJwtVerifier({
      resource,
      issuers: [as.issuer],
      jwksUri: as.jwksUri,
      clockTolerance: 30,
      timeout: 5000,
      fetch: globalThis.fetch.bind(globalThis),
      allowHttp: 'loopback',
    });
    let verifications = 0;
    const counting: TokenVerifier = {
      verify: (token, context) => {
        verifications += 1;
        return jwt.verify(token, context);
      },
    };
    const rs = server({ verifier: counting, tokenCache: {} });
    const token = await as.mint();
    const first = await rs.authorize(get(token));
    const second = await rs.authorize(get(token));
    if (!first.ok || !second.ok) throw new Error('expected both requests to pass');
    expect(verifications).toBe(1);
    expect(second.auth).toBe(first.auth);
    await rs.authorize(get(await as.mint()));
    expect(verifications).toBe(2);
  });

  it('caches the built-in JWT verifier by default: a hit returns the same frozen AuthInfo', async () => {
    const rs = server();
    const token = await as.mint();
    const first = await rs.authorize(get(token));
    const second = await rs.authorize(get(token));
    if (!first.ok || !second.ok) throw new Error('expected both requests to pass');
    expect(second.auth).toBe(first.auth);
    expect(Object.isFrozen(second.auth.claims)).toBe(true);
  });

  it('tokenCache: false verifies every request', async () => {
    const rs = server({ tokenCache: false });
    const token = await as.mint();
    const first = await rs.authorize(get(token));
    const second = await rs.authorize(get(token));
    if (!first.ok || !second.ok) throw new Error('expected both to pass');
    expect(second.auth).not.toBe(first.auth);
  });

  it('scope checks still apply per request to a cached token', async () => {
    const rs = server({ requiredScopes: ['mcp:tools'] });
    const token = await as.mint();
    expect((await rs.authorize(get(token))).ok).toBe(true);
    const refused = await rs.authorize(get(token), { scopes: ['mcp:admin'] });
    expect(refused).toMatchObject({ ok: false, status: 403 });
  });

  it('a refused token is not cached: a forged signature fails every time', async () => {
    const rs = server();
    const forged = await as.mint({}, { key: 'other' });
    for (let i = 0; i < 2; i++) {
      const result = await rs.authorize(get(forged));
      expect(result).toMatchObject({ ok: false, status: 401 });
    }
  });

  it('a custom verifier is cached only when tokenCache is an object', async () => {
    const calls: string[] = [];
    const verifier: TokenVerifier = {
      verify: (token) => {
        calls.push(token);
        return Promise.resolve<AuthInfo>({
          token,
          subject: 's',
          clientId: 'c',
          scopes: [],
          audience: [resource],
          issuer: as.issuer,
          expiresAt: undefined,
          claims: {},
        });
      },
    };
    const plain = server({ verifier });
    await plain.authorize(get('opaque-1'));
    await plain.authorize(get('opaque-1'));
    expect(calls).toEqual(['opaque-1', 'opaque-1']);
    const cached = server({ verifier, tokenCache: { maxAge: 60 } });
    await cached.authorize(get('opaque-2'));
    await cached.authorize(get('opaque-2'));
    expect(calls).toEqual(['opaque-1', 'opaque-1', 'opaque-2']);
  });
});
