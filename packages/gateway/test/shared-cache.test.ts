import { createRedisStore, type RedisStore } from '@prmkit/redis';
import { type RunningRedis, redisServerPath, startRedisServer } from '@prmkit/testing';
import type { RunningAuthorizationServer } from '@prmkit/authorization-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenExchanger, type ExchangeEvent } from '@prmkit/gateway';
import { FILES, GATEWAY, inboundAuth, startExchangeAs } from './support.js';

const REDIS_SERVER = redisServerPath();

describe.skipIf(REDIS_SERVER === undefined)('two gateway instances on one redis-server', () => {
  let redis: RunningRedis;
  let as: RunningAuthorizationServer;
  const stores: RedisStore[] = [];
  beforeAll(async () => {
    redis = await startRedisServer(REDIS_SERVER as string);
    as = await startExchangeAs();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await as.close();
    await redis.stop();
  });

  it('share exchanged tokens: the second instance makes no exchange', async () => {
    const auth = await inboundAuth(as);
    const posts: string[] = [];
    const counted: typeof fetch = (input, init) => {
      if (init?.method === 'POST') posts.push(String(input));
      return fetch(input, init);
    };
    const events: ExchangeEvent[] = [];
    const instance = async () => {
      const store = createRedisStore({ url: redis.url });
      stores.push(store);
      await store.ready;
      return createTokenExchanger({
        issuer: as.issuer,
        client: { method: 'client_secret_basic', ...GATEWAY },
        store,
        fetch: counted,
        onExchange: (e) => events.push(e),
      });
    };
    const [a, b] = [await instance(), await instance()];
    const target = { name: 'files', resource: FILES, scopes: ['mcp:tools'] };
    const first = await a.tokenFor(auth, target);
    const results = [];
    for (let i = 0; i < 9; i += 1) results.push(await (i % 2 === 0 ? b : a).tokenFor(auth, target));
    expect(posts).toHaveLength(1);
    expect(results.every((t) => t.accessToken === first.accessToken)).toBe(true);
    expect(events.filter((e) => e.source === 'exchange')).toHaveLength(1);
  });

  it('keep exchanging (without the cache) while redis is down', async () => {
    const auth = await inboundAuth(as);
    const store = createRedisStore({ url: redis.url });
    stores.push(store);
    await store.ready;
    const events: ExchangeEvent[] = [];
    const exchanger = createTokenExchanger({
      issuer: as.issuer,
      client: { method: 'client_secret_basic', ...GATEWAY },
      store,
      onExchange: (e) => events.push(e),
    });
    const target = { name: 'files', resource: FILES, scopes: ['mcp:tools'] };
    await redis.kill();
    const first = await exchanger.tokenFor(auth, target);
    const second = await exchanger.tokenFor(auth, target);
    expect(second.accessToken).not.toBe(auth.token);
    expect(first.accessToken).not.toBe(auth.token);
    expect(events.map((e) => e.source)).toEqual(['exchange', 'exchange']);
    await redis.restart();
  });
});
