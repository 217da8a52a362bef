// `@prmkit/redis/credentials`: the encrypted credential store for `@prmkit/client`. Its own
// entry so that the main entry (the server-side store) never loads the client.
export { CredentialDecryptionError, createRedisCredentialStore } from './credential-store.js';
export type { RedisCredentialStoreOptions } from './credential-store.js';
