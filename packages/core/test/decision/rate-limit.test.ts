import { createTestIssuer, type TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store.js';
import { createResourceServer, type ResourceServerConfig } from '../../src/index.js';

const RESOURCE = 'http://127.0.0.1:4000/mcp';
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools', alg: 'ES256' });
});
afterAll(() => issuer.close());

function server(overrides: Partial<ResourceServerConfig> = {}) {
  return createResourceServer({
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    allowHttp: 'loopback',
    requiredScopes: ['mcp:tools'],
    jwt: { jwksUri: issuer.jwksUri },
    rateLimit: { maxFailures: 3, windowSeconds: 60 },
    ...overrides,
  });
}

const from = (clientAddress: string, token?: string) => ({
  method: 'GET',
  url: '/mcp',
  clientAddress,
  headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
});

describe('failure-only rate limiting', () => {
  it('refusals past the limit become 429 with Retry-After, per address', async () => {
    const rs = server();
    const answers = [];
    for (let i = 0; i < 5; i += 1)
      answers.push(await rs.authorize(from('203.0.113.7', `bad.token.${i}`)));
    expect(answers.map((r) => (r.ok ? 200 : r.status))).toEqual([401, 401, 401, 429, 429]);
    for (const limited of answers.slice(3)) {
      expect(limited).toMatchObject({
        ok: false,
        headers: { 'retry-after': '60' },
        error: { code: 'rate_limited' },
      });
      expect(limited.ok || limited.headers['www-authenticate']).toBeUndefined();
    }
    // Another address is not affected.
    const elsewhere = await rs.authorize(from('198.51.100.1', 'bad.token.x'));
    expect(!elsewhere.ok && elsewhere.status).toBe(401);
  });

  it('the same bad token from many addresses is limited by its fingerprint', async () => {
    const rs = server();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await rs.authorize(from(`198.51.100.${i}`, 'one.bad.token'));
      statuses.push(r.ok ? 200 : r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('a valid token is never counted and never locked out, even from a limited address', async () => {
    const rs = server();
    const good = await issuer.mint();
    for (let i = 0; i < 10; i += 1)
      expect((await rs.authorize(from('203.0.113.9', good))).ok).toBe(true);
    for (let i = 0; i < 6; i += 1) await rs.authorize(from('203.0.113.9', `bad.${i}.x`));
    expect((await rs.authorize(from('203.0.113.9', good))).ok).toBe(true);
    // 403 insufficient_scope is a valid token too: never 429.
    const narrow = await issuer.mint({ scope: 'other' });
    for (let i = 0; i < 6; i += 1) {
      const r = await rs.authorize(from('203.0.113.10', narrow));
      expect(!r.ok && r.status).toBe(403);
    }
  });

  it('requests without a token (the discovery step) are not counted', async () => {
    const rs = server();
    for (let i = 0; i < 10; i += 1) {
      const r = await rs.authorize(from('203.0.113.11'));
      expect(!r.ok && r.status).toBe(401);
    }
  });

  it('counters live on the configured store, so instances share them', async () => {
    const store = createMemoryStore();
    const a = server({ store });
    const b = server({ store });
    await a.authorize(from('203.0.113.12', 'x.y.1'));
    await b.authorize(from('203.0.113.12', 'x.y.2'));
    await a.authorize(from('203.0.113.12', 'x.y.3'));
    const r = await b.authorize(from('203.0.113.12', 'x.y.4'));
    expect(!r.ok && r.status).toBe(429);
    expect(await store.get('refusals:ip:203.0.113.12')).toBe('4');
  });

  it('a full counter store never turns a refusal into anything else', async () => {
    const rs = server({ store: createMemoryStore({ maxMarkers: 1 }) });
    for (let i = 0; i < 6; i += 1) {
      const r = await rs.authorize(from('203.0.113.13', `bad.${i}.z`));
      expect(!r.ok && r.status).toBeOneOf([401, 429]);
    }
  });

  it('off by default: refusals stay 401', async () => {
    const rs = server({ rateLimit: undefined });
    for (let i = 0; i < 10; i += 1) {
      const r = await rs.authorize(from('203.0.113.14', 'bad.bad.bad'));
      expect(!r.ok && r.status).toBe(401);
    }
  });
});
