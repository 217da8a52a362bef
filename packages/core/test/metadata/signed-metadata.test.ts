import { generateKeyPairSync } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JWK,
} from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createResourceServer,
  PrmkitConfigError,
  PrmkitError,
  type ResourceServerConfig,
} from '../../src/index.js';

const base = {
  resource: 'https://api.example.com/mcp',
  authorizationServers: ['https://auth.example.com'],
  scopesSupported: ['mcp:tools'],
  resourceName: 'Example MCP',
} satisfies ResourceServerConfig;
const ISSUER = 'https://example.com';

async function ecKeys(): Promise<{ privateJwk: JWK; publicJwk: JWK; publicKey: CryptoKey }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid: 'prm-1', alg: 'ES256' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'prm-1', alg: 'ES256' };
  return { privateJwk, publicJwk, publicKey };
}

const get = (url: string, headers: Record<string, string> = {}) => ({
  method: 'GET',
  url,
  headers,
});

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof PrmkitConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a PrmkitConfigError');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('signed metadata at the resource server (RFC 9728 §2.2)', () => {
  it('serves a signed_metadata JWS that verifies with the public key and holds every other member', async () => {
    const { privateJwk, publicKey } = await ecKeys();
    const rs = createResourceServer({
      ...base,
      signedMetadata: { key: privateJwk, alg: 'ES256', issuer: ISSUER },
    });
    await rs.metadataReady();
    const res = rs.handleMetadataRequest(get('/.well-known/oauth-protected-resource/mcp'));
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.body) as Record<string, unknown>;
    expect(typeof doc['signed_metadata']).toBe('string');
    const jws = doc['signed_metadata'] as string;
    const { payload, protectedHeader } = await jwtVerify(jws, publicKey, {
      issuer: ISSUER,
      algorithms: ['ES256'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'prm-1', typ: 'JWT' });
    const { signed_metadata: _omitted, ...plain } = doc;
    expect(payload).toEqual({ ...plain, iss: ISSUER, iat: expect.any(Number) as number });
    expect(payload).not.toHaveProperty('signed_metadata');
    expect(payload).not.toHaveProperty('exp');
    expect(rs.metadata).toEqual(doc);
  });

  it('answers HEAD and OPTIONS on the signed document, and metadataReady is immediate without signing', async () => {
    const { privateJwk } = await ecKeys();
    const rs = createResourceServer({
      ...base,
      signedMetadata: { key: privateJwk, alg: 'ES256', issuer: ISSUER },
    });
    await rs.metadataReady();
    const url = '/.well-known/oauth-protected-resource/mcp';
    const get200 = rs.handleMetadataRequest(get(url));
    const head = rs.handleMetadataRequest({ method: 'HEAD', url, headers: {} });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['etag']).toBe(get200.headers['etag']);
    expect(rs.handleMetadataRequest({ method: 'OPTIONS', url, headers: {} }).status).toBe(204);
    expect(rs.handleMetadataRequest({ method: 'POST', url, headers: {} }).status).toBe(405);

    const plain = createResourceServer(base);
    await expect(plain.metadataReady()).resolves.toBe(plain.metadata);
    expect(plain.metadata).not.toHaveProperty('signed_metadata');
  });

  it('adds exp = iat + lifetime', async () => {
    const { privateJwk, publicKey } = await ecKeys();
    const rs = createResourceServer({
      ...base,
      signedMetadata: { key: privateJwk, alg: 'ES256', issuer: ISSUER, lifetime: 7200 },
    });
    const doc = await rs.metadataReady();
    const { payload } = await jwtVerify(doc.signed_metadata as string, publicKey);
    expect(payload.exp).toBe((payload.iat ?? 0) + 7200);
  });

  it('answers 503 (never the unsigned document) until the first signature exists', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const rs = createResourceServer({
      ...base,
      signedMetadata: { key: privateKey, alg: 'EdDSA', issuer: ISSUER },
    });
    const res = rs.handleMetadataRequest(get('/.well-known/oauth-protected-resource/mcp'));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).not.toContain('authorization_servers');
  });

  it('signs with a node:crypto KeyObject (EdDSA) and a non-extractable CryptoKey (PS256)', async () => {
    const ed = generateKeyPairSync('ed25519');
    const rsEd = createResourceServer({
      ...base,
      signedMetadata: { key: ed.privateKey, alg: 'EdDSA', issuer: ISSUER, kid: 'ed' },
    });
    const docEd = await rsEd.metadataReady();
    await expect(
      jwtVerify(docEd.signed_metadata as string, ed.publicKey, { algorithms: ['EdDSA'] }),
    ).resolves.toMatchObject({ protectedHeader: { kid: 'ed' } });

    const ps = await generateKeyPair('PS256');
    const rsPs = createResourceServer({
      ...base,
      signedMetadata: { key: ps.privateKey, alg: 'PS256', issuer: ISSUER },
    });
    const docPs = await rsPs.metadataReady();
    await expect(
      jwtVerify(docPs.signed_metadata as string, ps.publicKey, { algorithms: ['PS256'] }),
    ).resolves.toBeDefined();
    expect(decodeProtectedHeader(docPs.signed_metadata as string).kid).toBeUndefined();
  });

  it('publishes the public key at jwksPath, advertised as jwks_uri, and it verifies the signature', async () => {
    const { privateJwk } = await ecKeys();
    const rs = createResourceServer({
      ...base,
      signedMetadata: {
        key: privateJwk,
        alg: 'ES256',
        issuer: ISSUER,
        jwksPath: '/.well-known/prm-jwks.json',
      },
    });
    expect(rs.metadataPaths).toContain('/.well-known/prm-jwks.json');
    const doc = await rs.metadataReady();
    expect(doc.jwks_uri).toBe('https://api.example.com/.well-known/prm-jwks.json');
    const res = rs.handleMetadataRequest(get('/.well-known/prm-jwks.json'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const jwks = JSON.parse(res.body) as { keys: JWK[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      use: 'sig',
      alg: 'ES256',
      kid: 'prm-1',
    });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { payload } = await jwtVerify(doc.signed_metadata as string, createLocalJWKSet(jwks));
    expect(payload.iss).toBe(ISSUER);
    // A JWKS request with a query is not the JWKS.
    expect(rs.handleMetadataRequest(get('/.well-known/prm-jwks.json?x=1')).status).toBe(404);
  });

  it('keeps ETag/304, and a re-signed document (past half its lifetime) gets a new ETag', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.UTC(2026, 11, 7, 12, 0, 0);
    vi.setSystemTime(t0);
    const { privateJwk, publicKey } = await ecKeys();
    const rs = createResourceServer({
      ...base,
      metadataCacheControl: 'public, max-age=600',
      signedMetadata: { key: privateJwk, alg: 'ES256', issuer: ISSUER, lifetime: 3600 },
    });
    const url = '/.well-known/oauth-protected-resource/mcp';
    await rs.metadataReady();
    const first = rs.handleMetadataRequest(get(url));
    const etag1 = first.headers['etag'] ?? '';
    expect(first.headers['cache-control']).toBe('public, max-age=600');
    expect(rs.handleMetadataRequest(get(url, { 'if-none-match': etag1 })).status).toBe(304);

    // Past half the lifetime: still valid, served uncacheable, and a new signature starts.
    vi.setSystemTime(t0 + 1801_000);
    const stale = rs.handleMetadataRequest(get(url));
    expect(stale.headers['etag']).toBe(etag1);
    expect(stale.headers['cache-control']).toBe('no-cache');
    await rs.metadataReady();
    const renewed = rs.handleMetadataRequest(get(url));
    const etag2 = renewed.headers['etag'] ?? '';
    expect(etag2).not.toBe(etag1);
    expect(renewed.headers['cache-control']).toBe('public, max-age=600');
    expect(rs.handleMetadataRequest(get(url, { 'if-none-match': etag1 })).status).toBe(200);
    expect(rs.handleMetadataRequest(get(url, { 'if-none-match': etag2 })).status).toBe(304);
    const jws = (JSON.parse(renewed.body) as { signed_metadata: string }).signed_metadata;
    const { payload } = await jwtVerify(jws, publicKey, { currentDate: new Date(t0 + 1801_000) });
    expect(payload.iat).toBe((t0 + 1801_000) / 1000 - (((t0 + 1801_000) / 1000) % 1));
    expect(payload.exp).toBe(Math.floor((t0 + 1801_000) / 1000) + 3600);
  });

  it('never serves an expired signature: 503 after exp, then the renewed one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.UTC(2026, 11, 7, 12, 0, 0);
    vi.setSystemTime(t0);
    const { privateJwk } = await ecKeys();
    const rs = createResourceServer({
      ...base,
      metadataCacheControl: 'max-age=30',
      signedMetadata: { key: privateJwk, alg: 'ES256', issuer: ISSUER, lifetime: 60 },
    });
    const url = '/.well-known/oauth-protected-resource/mcp';
    await rs.metadataReady();
    vi.setSystemTime(t0 + 61_000);
    expect(rs.handleMetadataRequest(get(url)).status).toBe(503);
    await rs.metadataReady();
    expect(rs.handleMetadataRequest(get(url)).status).toBe(200);
  });

  it('fails closed when the key cannot sign: 503, a warning, and metadataReady rejects', async () => {
    const warn = vi.fn();
    const rs = createResourceServer({
      ...base,
      logger: { warn },
      signedMetadata: {
        key: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA', d: 'AAAA' },
        alg: 'ES256',
        issuer: ISSUER,
      },
    });
    const error = await rs.metadataReady().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PrmkitError);
    expect((error as PrmkitError).code).toBe('metadata_signing_failed');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'metadata_signing_failed' }),
      expect.any(String),
    );
    const res = rs.handleMetadataRequest(get('/.well-known/oauth-protected-resource/mcp'));
    expect(res.status).toBe(503);
  });

  it('refuses unsafe or inconsistent options, listing every one by path', async () => {
    const { privateJwk, publicJwk } = await ecKeys();
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const rsaJwk = await exportJWK(rsa.privateKey);
    const issues = (signedMetadata: unknown, extra: Partial<ResourceServerConfig> = {}) =>
      issuesOf(() =>
        createResourceServer({ ...base, ...extra, signedMetadata } as ResourceServerConfig),
      );

    for (const alg of ['none', 'HS256']) {
      expect(issues({ key: privateJwk, alg, issuer: ISSUER })).toEqual([
        { path: 'signedMetadata.alg', message: expect.stringContaining('asymmetric') as string },
      ]);
    }
    expect(issues({ key: publicJwk, alg: 'ES256', issuer: ISSUER })).toEqual([
      { path: 'signedMetadata.key', message: 'must be a private JWK (it has no "d")' },
    ]);
    expect(
      issues({ key: { kty: 'oct', k: 'c2VjcmV0' }, alg: 'ES256', issuer: ISSUER })[0]?.path,
    ).toBe('signedMetadata.key');
    expect(issues({ key: rsaJwk, alg: 'ES256', issuer: ISSUER })).toEqual([
      { path: 'signedMetadata.key', message: 'ES256 needs a EC key, not RSA' },
    ]);
    expect(issues({ key: rsa.privateKey, alg: 'ES256', issuer: ISSUER })[0]?.path).toBe(
      'signedMetadata.key',
    );
    expect(issues({ key: rsa.publicKey, alg: 'RS256', issuer: ISSUER })[0]?.message).toContain(
      'private',
    );
    const all = issues(
      {
        key: privateJwk,
        alg: 'ES256',
        issuer: 'http://example.com',
        lifetime: 600,
        jwksPath: '/.well-known/oauth-protected-resource',
      },
      { jwksUri: 'https://api.example.com/jwks' },
    );
    expect(all.map((i) => i.path).sort()).toEqual([
      'signedMetadata.issuer',
      'signedMetadata.jwksPath',
      'signedMetadata.jwksPath',
      'signedMetadata.lifetime',
    ]);
    expect(
      issues({ key: privateJwk, alg: 'ES256', issuer: ISSUER, jwksPath: '//evil.example/k' })[0]
        ?.path,
    ).toBe('signedMetadata.jwksPath');
    const fixed = await generateKeyPair('ES256');
    expect(
      issues({ key: fixed.privateKey, alg: 'ES256', issuer: ISSUER, jwksPath: '/jwks.json' }),
    ).toEqual([
      {
        path: 'signedMetadata.jwksPath',
        message: expect.stringContaining('extractable') as string,
      },
    ]);
  });
});
