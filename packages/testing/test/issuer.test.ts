import { afterEach, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createTestIssuer, freePort, listen } from '../src/index.js';
import type { TestIssuer } from '../src/index.js';

const issuers: TestIssuer[] = [];
async function start(...args: Parameters<typeof createTestIssuer>): Promise<TestIssuer> {
  const as = await createTestIssuer(...args);
  issuers.push(as);
  return as;
}
afterEach(async () => {
  await Promise.all(issuers.splice(0).map((as) => as.close()));
});

describe('createTestIssuer', () => {
  it('mints tokens that verify against its JWKS, with the documented defaults', async () => {
    const as = await start({ audience: 'http://127.0.0.1:1/mcp', scope: 'read write' });
    const token = await as.mint();
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(as.jwksUri)),
      {
        issuer: as.issuer,
        audience: 'http://127.0.0.1:1/mcp',
      },
    );
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt', kid: as.kid });
    expect(payload).toMatchObject({
      sub: 'user-123',
      client_id: 'client-abc',
      scope: 'read write',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(as.requests.filter((r) => r.path === '/jwks')).toHaveLength(1);
  });

  it('drops claims set to undefined and honours header options', async () => {
    const as = await start({ alg: 'ES256' });
    const token = await as.mint(
      { exp: undefined, extra: 1 },
      { typ: null, kid: 'k9', header: { jku: 'http://x' } },
    );
    const header = decodeProtectedHeader(token);
    expect(header).toEqual({ alg: 'ES256', kid: 'k9', jku: 'http://x' });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(payload).not.toHaveProperty('exp');
    expect(payload.extra).toBe(1);
  });

  it('builds unsigned alg=none tokens by hand', async () => {
    const as = await start();
    const token = await as.mint({}, { alg: 'none' });
    expect(token.endsWith('.')).toBe(true);
    expect(decodeProtectedHeader(token).alg).toBe('none');
  });

  it('rotates keys: the JWKS serves only the new key', async () => {
    const as = await start();
    const oldKid = as.kid;
    await as.rotateKey();
    expect(as.kid).not.toBe(oldKid);
    const jwks = (await (await fetch(as.jwksUri)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([as.kid]);
  });

  it('serves RFC 8414 and OpenID metadata for a path issuer, with overrides', async () => {
    const as = await start({
      path: '/tenant',
      metadataOverrides: { jwks_uri: undefined, extra: 'x' },
    });
    expect(as.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tenant$/);
    const rfc8414 = await fetch(`${as.origin}/.well-known/oauth-authorization-server/tenant`);
    const doc = (await rfc8414.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: as.issuer,
      extra: 'x',
      code_challenge_methods_supported: ['S256'],
    });
    expect(doc).not.toHaveProperty('jwks_uri');
    const oidc = await fetch(`${as.issuer}/.well-known/openid-configuration`);
    expect(oidc.status).toBe(200);
    expect((await fetch(`${as.origin}/.well-known/oauth-authorization-server`)).status).toBe(404);
  });

  it('can serve only the OpenID document', async () => {
    const as = await start({ metadata: ['openid-configuration'] });
    expect((await fetch(`${as.origin}/.well-known/oauth-authorization-server`)).status).toBe(404);
    expect((await fetch(`${as.origin}/.well-known/openid-configuration`)).status).toBe(200);
  });

  it('JWKS modes fail the way they say', async () => {
    const as = await start();
    as.setJwksMode('error500');
    expect((await fetch(as.jwksUri)).status).toBe(500);
    as.setJwksMode('garbage');
    await expect((await fetch(as.jwksUri)).json()).rejects.toThrow();
    as.setJwksMode('down');
    await expect(fetch(as.jwksUri)).rejects.toThrow();
    as.setJwksMode('hang');
    await expect(fetch(as.jwksUri, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
  });

  it('introspects its own tokens', async () => {
    const as = await start();
    const token = await as.mint();
    const res = await fetch(as.introspectionEndpoint, {
      method: 'POST',
      body: new URLSearchParams({ token }),
    });
    expect(await res.json()).toMatchObject({ active: true, sub: 'user-123' });
    const bad = await fetch(as.introspectionEndpoint, {
      method: 'POST',
      body: new URLSearchParams({ token: 'x' }),
    });
    expect(await bad.json()).toEqual({ active: false });
  });
});

describe('listen / freePort', () => {
  it('serves on loopback and closes', async () => {
    const srv = await listen((_req, res) => {
      res.end('hi');
    });
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(srv.url)).text()).toBe('hi');
    await srv.close();
    await expect(fetch(srv.url)).rejects.toThrow();
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
  });
});
