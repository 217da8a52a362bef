import { afterAll, describe, expect, it } from 'vitest';
import { UpstreamError, createResourceServer } from '@prmkit/core';
import { type Listening, freePort, listen, readBody } from '@prmkit/testing';
import { createRedisStore } from '@prmkit/redis';
import {
  REDIS_SERVER,
  eventually,
  rawClient,
  sleep,
  startRedis,
  stopAllRedis,
} from './redis-fixture.js';

const RESOURCE = 'http://127.0.0.1:4000/mcp';
const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await stopAllRedis();
});

/** An RFC 7662 endpoint answering active for every token; counts its calls. */
async function introspectionEndpoint(): Promise<Listening & { calls: () => number }> {
  let calls = 0;
  const server = await listen(async (req, res) => {
    await readBody(req);
    calls += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        active: true,
        iss: 'http://127.0.0.1:9000',
        aud: RESOURCE,
        sub: 'alice',
        client_id: 'agent',
        scope: 'mcp:tools',
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 600,
      }),
    );
  });
  open.push(server);
  return Object.assign(server, { calls: () => calls });
}

const errorOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe.skipIf(REDIS_SERVER === undefined)('Redis outages', () => {
  it('killed: every operation fails closed within the budget; back: works again without a restart', async () => {
    const redis = await startRedis();
    const reports: Error[] = [];
    const store = createRedisStore({
      url: redis.url,
      operationTimeout: 300,
      maxReconnectDelay: 200,
      onError: (e) => reports.push(e),
    });
    open.push(store);
    await store.ready;
    await store.set('k', 'v', 60_000);

    await redis.kill();
    for (const op of [
      () => store.get('k'),
      () => store.set('k', 'v', 1000),
      () => store.delete('k'),
      () => store.addIfAbsent('jti', 1000),
      () => store.increment('count', 1000),
    ]) {
      const started = performance.now();
      const error = await errorOf(op());
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).code).toBe('store_unavailable');
      expect(performance.now() - started).toBeLessThan(300 + 150);
    }
    // The outage is reported once, not per reconnection attempt.
    await sleep(600);
    expect(reports).toHaveLength(1);

    await redis.restart(); // empty: persistence is off
    const took = await eventually(async () => {
      try {
        return (await store.addIfAbsent('jti', 60_000)) === true;
      } catch {
        return false;
      }
    }, 5000);
    expect(took).toBeLessThan(5000);
    await expect(store.addIfAbsent('jti', 60_000)).resolves.toBe(false);
    await expect(store.increment('count', 60_000)).resolves.toBe(1);
  });

  it('slow (stopped with SIGSTOP): operations reject after operationTimeout; resumed: they answer', async () => {
    const redis = await startRedis();
    const store = createRedisStore({ url: redis.url, operationTimeout: 250, onError: () => {} });
    open.push(store);
    await store.ready;
    await store.set('k', 'v', 60_000);
    process.kill(redis.pid, 'SIGSTOP');
    try {
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: 20 }, () => errorOf(store.get('k'))));
      const elapsed = performance.now() - started;
      for (const error of results) {
        expect((error as UpstreamError).code).toBe('store_unavailable');
      }
      expect(elapsed).toBeGreaterThanOrEqual(240);
      expect(elapsed).toBeLessThan(250 + 200);
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    await eventually(async () => (await errorOf(store.get('k'))) === undefined, 3000);
    await expect(store.get('k')).resolves.toBe('v');
  });

  it('down at start-up: fails closed until Redis appears, then serves', async () => {
    const port = await freePort();
    const store = createRedisStore({
      url: `redis://127.0.0.1:${port}`,
      operationTimeout: 300,
      maxReconnectDelay: 100,
      onError: () => {},
    });
    open.push(store);
    const error = await errorOf(store.get('k'));
    expect((error as UpstreamError).code).toBe('store_unavailable');
    await sleep(300); // a few reconnection attempts against a closed port
    const redis = await startRedis(port);
    await eventually(async () => (await errorOf(store.set('k', 'v', 60_000))) === undefined, 5000);
    await expect(store.get('k')).resolves.toBe('v');
    expect(redis.port).toBe(port);
  });

  it('authorize with introspection on Redis: refused while Redis is down (never accepted), accepted again once it is back', async () => {
    const redis = await startRedis();
    const endpoint = await introspectionEndpoint();
    const store = createRedisStore({
      url: redis.url,
      operationTimeout: 300,
      maxReconnectDelay: 100,
      onError: () => {},
    });
    open.push(store);
    await store.ready;
    const rs = createResourceServer({
      resource: RESOURCE,
      authorizationServers: ['http://127.0.0.1:9000'],
      allowHttp: 'loopback',
      introspection: {
        endpoint: `${endpoint.url}/introspect`,
        clientAuth: { method: 'client_secret_basic', clientId: 'rs', clientSecret: 'secret' },
        cacheMaxAge: 60,
      },
      tokenCache: false, // every request consults the shared store
      store,
    });
    const request = (token: string) => ({
      method: 'POST',
      url: '/mcp',
      headers: { authorization: `Bearer ${token}` },
    });

    expect((await rs.authorize(request('opaque-token-1'))).ok).toBe(true);
    expect((await rs.authorize(request('opaque-token-1'))).ok).toBe(true);
    expect(endpoint.calls()).toBe(1); // the second answer came from Redis

    // What Redis holds: a hashed key, never the token.
    const raw = await rawClient(redis.url);
    const keys = await raw.keys('*');
    await raw.close();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^prmkit:introspection:[A-Za-z0-9_-]{43}$/);
    expect(keys[0]).not.toContain('opaque-token-1');

    await redis.kill();
    for (const token of ['opaque-token-1', 'opaque-token-2']) {
      const started = performance.now();
      const result = await rs.authorize(request(token));
      // 503: not the token's fault.
      expect(result).toMatchObject({
        ok: false,
        status: 503,
        error: { code: 'store_unavailable' },
      });
      expect(performance.now() - started).toBeLessThan(300 + 150);
    }
    expect(endpoint.calls()).toBe(1); // fail closed: no decision without the store

    await redis.restart();
    await eventually(async () => (await rs.authorize(request('opaque-token-2'))).ok, 5000);
    expect(endpoint.calls()).toBe(2);
  });
});
