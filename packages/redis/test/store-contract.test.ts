import { afterAll } from 'vitest';
import { createMemoryStore } from '@prmkit/core/store';
import { describeStoreContract } from '@prmkit/testing/store-contract';
import { createRedisStore, type RedisStore } from '@prmkit/redis';
import { REDIS_SERVER, startRedis, stopAllRedis } from './redis-fixture.js';

afterAll(stopAllRedis);

describeStoreContract('memory', { create: () => createMemoryStore(), atomic: true });

describeStoreContract<RedisStore>('redis', {
  skip: REDIS_SERVER === undefined,
  atomic: true,
  async create() {
    const redis = await startRedis();
    const store = createRedisStore({ url: redis.url });
    await store.ready;
    return store;
  },
  dispose: (store) => store.close(),
});
