import { createResourceServer as createWebResourceServer } from '@prmkit/core';
import {
  createResourceServer as createNodeResourceServer,
  nodeCryptoThreadPoolBackend,
} from '@prmkit/core/node';

/**
 * @typedef {object} AppEnv
 * @property {string} variant   none | noop | prmkit | prmkit-miss | jose | auth0 | mcp-auth | sdk | metadata | static | static-headers
 * @property {'node' | 'node-pool' | 'webcrypto'} backend  prmkit's signature backend
 * @property {'RS256' | 'ES256'} alg  what the issuer signs with
 * @property {string} issuer
 * @property {string} jwksUri
 * @property {string} resource
 * @property {number} cacheEntries  tokenCache.maxEntries for prmkit-miss
 * @property {Record<string, unknown>} staticMetadata
 */

/** The static route the metadata endpoint is compared with. */
export const STATIC_PATH = '/static-metadata';

/**
 * The headers an RFC 9728 metadata response carries (JSON, caching, validator, CORS), for a
 * static route that does the same work as prmkit's endpoint minus the lookup.
 */
export const METADATA_HEADERS = {
  'content-type': 'application/json',
  'cache-control': 'public, max-age=3600',
  etag: '"0123456789abcdef"',
  'x-content-type-options': 'nosniff',
  vary: 'Origin',
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag',
};

/**
 * What the adapters are given: a resource server made by `@prmkit/core/node` (node:crypto
 * signatures, what the Node adapters default to) or by `@prmkit/core` (Web Crypto).
 * @param {AppEnv} env
 */
export function prmkitInput(env) {
  const create = env.backend === 'webcrypto' ? createWebResourceServer : createNodeResourceServer;
  const config = prmkitConfig(env);
  if (env.backend === 'node-pool') config.jwt.signatureBackend = nodeCryptoThreadPoolBackend;
  return create(config);
}

/** @param {AppEnv} env */
export function prmkitConfig(env) {
  return {
    resource: env.resource,
    authorizationServers: [env.issuer],
    scopesSupported: ['mcp:tools'],
    allowHttp: /** @type {const} */ ('loopback'),
    jwt: { jwksUri: env.jwksUri, algorithms: [env.alg ?? 'RS256'] },
    // prmkit-miss: a cache smaller than the rotating token pool, so every request misses
    // (cyclic access over more keys than an LRU holds never hits) and pays insert + evict.
    ...(env.variant === 'prmkit-miss' ? { tokenCache: { maxEntries: env.cacheEntries } } : {}),
  };
}
