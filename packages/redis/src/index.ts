export { createRedisStore } from './redis-store.js';
export type { RedisCommandClient, RedisStore, RedisStoreOptions } from './redis-store.js';
