export { createRedisStore } from './redis-store.js';
export type { RedisCommandClient, RedisStore, RedisStoreOptions } from './redis-store.js';
export { CredentialDecryptionError, createRedisCredentialStore } from './credential-store.js';
export type { RedisCredentialStoreOptions } from './credential-store.js';
