import { afterEach, describe, expect, it } from 'vitest';
import { type KeyValueStore, createMemoryStore } from '@prmkit/core/store';
import { type ResourceServer, createResourceServer } from '@prmkit/core';
import { type Listening, listen, readBody } from '@prmkit/testing';

const RESOURCE = 'http://127.0.0.1:4000/mcp';
const ISSUER = 'http://127.0.0.1:9000';
const open: Listening[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A real RFC 7662 endpoint on loopback; `revoke()` makes it answer inactive from then on. */
async function authorizationServer() {
  const calls: string[] = [];
  let revoked = false;
  const server = await listen(async (req, res) => {
    const token = new URLSearchParams(await readBody(req)).get('token') ?? '';
    calls.push(token);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        revoked
          ? { active: false }
          : {
              active: true,
              iss: ISSUER,
              aud: RESOURCE,
              sub: 'alice',
              client_id: 'client-1',
              scope: 'mcp:tools',
              iat: Math.floor(Date.now() / 1000),
              exp: Math.floor(Date.now() / 1000) + 600,
            },
      ),
    );
  });
  open.push(server);
  return {
    endpoint: `${server.url}/introspect`,
    calls,
    revoke: () => {
      revoked = true;
    },
  };
}

function instance(
  endpoint: string,
  store: KeyValueStore | undefined,
  extra: { cacheMaxAge?: number; httpTimeout?: number; tokenCache?: false } = {},
): ResourceServer {
  return createResourceServer({
    resource: RESOURCE,
    authorizationServers: [ISSUER],
    allowHttp: 'loopback',
    introspection: {
      endpoint,
      clientAuth: { method: 'client_secret_basic', clientId: 'rs', clientSecret: 'secret' },
      cacheMaxAge: extra.cacheMaxAge ?? 60,
    },
    ...(store === undefined ? {} : { store }),
    ...(extra.httpTimeout === undefined ? {} : { httpTimeout: extra.httpTimeout }),
    ...(extra.tokenCache === undefined ? {} : { tokenCache: extra.tokenCache }),
  });
}

const call = (rs: ResourceServer, token: string) =>
  rs.authorize({ method: 'POST', url: '/mcp', headers: { authorization: `Bearer ${token}` } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A memory store that records what it is asked to keep. */
function recording(inner: KeyValueStore = createMemoryStore()) {
  const writes: { key: string; value: string; ttlMs: number }[] = [];
  const store: KeyValueStore = {
    get: (key) => inner.get(key),
    set: (key, value, ttlMs) => {
      writes.push({ key, value, ttlMs });
      return inner.set(key, value, ttlMs);
    },
    delete: (key) => inner.delete(key),
  };
  return { store, writes };
}

describe('introspection cache on a shared store', () => {
  it("one instance's answer serves the others: one introspection for two instances", async () => {
    const as = await authorizationServer();
    const shared = createMemoryStore();
    const a = instance(as.endpoint, shared);
    const b = instance(as.endpoint, shared);
    expect((await call(a, 'opaque-1')).ok).toBe(true);
    expect((await call(b, 'opaque-1')).ok).toBe(true);
    expect(as.calls).toEqual(['opaque-1']);
    // Without a shared store each instance asks on its own.
    const c = instance(as.endpoint, undefined);
    expect((await call(c, 'opaque-1')).ok).toBe(true);
    expect(as.calls).toHaveLength(2);
  });

  it('a revoked token is refused by every instance within cacheMaxAge, verified-token cache included', async () => {
    const as = await authorizationServer();
    const shared = createMemoryStore();
    // Default tokenCache (300 s) in front: its entries must end with the shared answer.
    const a = instance(as.endpoint, shared, { cacheMaxAge: 1 });
    const b = instance(as.endpoint, shared, { cacheMaxAge: 1 });
    const started = Date.now();
    expect((await call(a, 'opaque-2')).ok).toBe(true);
    await sleep(400);
    expect((await call(b, 'opaque-2')).ok).toBe(true); // from the store, 0.4 s old
    expect((await call(a, 'opaque-2')).ok).toBe(true);
    as.revoke();
    await sleep(Math.max(0, started + 1100 - Date.now()));
    for (const rs of [a, b]) {
      const result = await call(rs, 'opaque-2');
      expect(result).toMatchObject({ ok: false, error: { code: 'token_inactive' } });
    }
  });

  it('keys are the SHA-256 of the token under introspection:, values never hold the token', async () => {
    const as = await authorizationServer();
    const { store, writes } = recording();
    const token = 'opaque-token-that-must-not-leak';
    expect((await call(instance(as.endpoint, store), token)).ok).toBe(true);
    expect(writes).toHaveLength(1);
    const [write] = writes;
    expect(write?.key).toMatch(/^introspection:[A-Za-z0-9_-]{43}$/);
    expect(write?.key).not.toContain(token);
    expect(write?.value).not.toContain(token);
    expect(write?.ttlMs).toBeGreaterThan(59_000);
    expect(write?.ttlMs).toBeLessThanOrEqual(60_000);
  });

  it('a store that hangs or fails refuses the request within the time budget; the endpoint is not asked', async () => {
    const as = await authorizationServer();
    const hanging: KeyValueStore = {
      get: () => new Promise(() => undefined),
      set: () => new Promise(() => undefined),
      delete: () => new Promise(() => undefined),
    };
    const failing: KeyValueStore = {
      get: () => Promise.reject(new Error('ECONNREFUSED')),
      set: () => Promise.reject(new Error('ECONNREFUSED')),
      delete: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    for (const store of [hanging, failing]) {
      const rs = instance(as.endpoint, store, { httpTimeout: 200 });
      const started = performance.now();
      const result = await call(rs, 'opaque-3');
      expect(result).toMatchObject({ ok: false, error: { code: 'store_unavailable' } });
      expect(performance.now() - started).toBeLessThan(200 + 150);
    }
    expect(as.calls).toHaveLength(0);
  });

  it('a damaged or foreign value in the store is a miss, never an answer', async () => {
    const as = await authorizationServer();
    const shared = createMemoryStore();
    const rs = instance(as.endpoint, shared, { tokenCache: false });
    expect((await call(rs, 'opaque-4')).ok).toBe(true);
    const { store, writes } = recording(shared);
    expect((await call(instance(as.endpoint, store, { tokenCache: false }), 'opaque-5')).ok).toBe(
      true,
    );
    const key = writes[0]?.key ?? '';
    for (const damaged of [
      'not json',
      '[]',
      '{"claims":{"active":true}}',
      '{"claims":1,"until":9e15}',
    ]) {
      await shared.set(key, damaged, 60_000);
      expect((await call(rs, 'opaque-5')).ok).toBe(true);
    }
    expect(as.calls.filter((t) => t === 'opaque-5')).toHaveLength(1 + 4);
  });

  it('cacheMaxAge 0: every request is introspected (no store, no verified-token cache)', async () => {
    const as = await authorizationServer();
    const { store, writes } = recording();
    const rs = instance(as.endpoint, store, { cacheMaxAge: 0 });
    for (let i = 0; i < 3; i++) expect((await call(rs, 'opaque-6')).ok).toBe(true);
    expect(as.calls).toHaveLength(3);
    expect(writes).toHaveLength(0);
  });

  it('config: store must have get, set and delete', () => {
    expect(() =>
      createResourceServer({
        resource: RESOURCE,
        authorizationServers: [ISSUER],
        allowHttp: 'loopback',
        store: { get: () => Promise.resolve(undefined) } as unknown as KeyValueStore,
      }),
    ).toThrow(/store: must be a store with get, set and delete/);
  });
});
