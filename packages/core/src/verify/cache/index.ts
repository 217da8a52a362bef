export { createCachingVerifier } from './caching-verifier.js';
export type { CachingVerifier, TokenCacheOptions } from './caching-verifier.js';
