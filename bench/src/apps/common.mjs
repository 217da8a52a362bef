import { createResourceServer as createWebResourceServer } from '@prmkit/core';
import {
  createResourceServer as createNodeResourceServer,
  nodeCryptoThreadPoolBackend,
} from '@prmkit/core/node';

/**
 * @typedef {object} AppEnv
 * @property {string} variant   none | noop | prmkit | prmkit-miss | jose | auth0 | mcp-auth | sdk | metadata | static | static-headers | mcp-none | mcp-prmkit
 * @property {'node' | 'node-pool' | 'webcrypto'} backend  prmkit's signature backend
 * @property {'RS256' | 'ES256'} alg  what the issuer signs with
 * @property {string} issuer
 * @property {string} jwksUri
 * @property {string} resource
 * @property {number} cacheEntries  tokenCache.maxEntries for prmkit-miss
 * @property {Record<string, unknown>} staticMetadata
 */

/**
 * The MCP request shape of the `k-mcp-*` cases: a 2026-07-28 `tools/call` of `echo` with a
 * body of about 1 KB, and the SEP-2243 headers that mirror it (sent on the header path only).
 */
export const MCP_TOOL_CALL = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: {
    name: 'echo',
    arguments: { text: 'x'.repeat(800) },
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
});
export const MCP_REQUEST_HEADERS = {
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': 'echo',
};

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
    scopesSupported: env.variant === 'mcp-prmkit' ? ['mcp:tools', 'mcp:admin'] : ['mcp:tools'],
    // mcp-prmkit: a tool rule, so the guard looks at the message (Mcp-Name or the body).
    ...(env.variant === 'mcp-prmkit' ? { toolScopes: { admin_stats: ['mcp:admin'] } } : {}),
    allowHttp: /** @type {const} */ ('loopback'),
    jwt: { jwksUri: env.jwksUri, algorithms: [env.alg ?? 'RS256'] },
    // prmkit-miss: a cache smaller than the rotating token pool, so every request misses
    // (cyclic access over more keys than an LRU holds never hits) and pays insert + evict.
    ...(env.variant === 'prmkit-miss' ? { tokenCache: { maxEntries: env.cacheEntries } } : {}),
  };
}
