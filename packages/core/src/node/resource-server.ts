import type { ResourceServerConfig } from '../server/config-types.js';
import {
  createResourceServer as createWebResourceServer,
  isResourceServer,
  type ResourceServer,
  type ResourceServerInput,
} from '../server/resource-server.js';
import { nodeCryptoBackend } from './node-crypto-backend.js';
import {
  type AnyResourceServerInput,
  createResourceServerSet as createWebSet,
  type ResourceServerSet,
  toResourceServers as toWebResourceServers,
} from '../server/resource-server-set.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `config` with `jwt.signatureBackend` set to {@link nodeCryptoBackend} when it verifies
 * JWTs and names no backend itself; anything else unchanged (the core's validation then
 * reports what is wrong with it, by the same paths).
 *
 * @example
 * ```ts
 * import { createResourceServer } from '@prmkit/core';
 *
 * const rs = createResourceServer(withNodeCrypto(config)); // what this entry's createResourceServer does
 * ```
 * @see RFC 9068 §4 (the JWT validation whose signature check this speeds up)
 */
export function withNodeCrypto(config: ResourceServerConfig): ResourceServerConfig {
  if (!isPlainObject(config) || config.verifier !== undefined || config.introspection !== undefined)
    return config;
  const jwt: unknown = config.jwt;
  if (jwt !== undefined && !isPlainObject(jwt)) return config;
  if (jwt?.signatureBackend !== undefined) return config;
  return { ...config, jwt: { ...jwt, signatureBackend: nodeCryptoBackend } };
}

/**
 * `createResourceServer` of `@prmkit/core`, verifying JWT signatures with node:crypto
 * ({@link nodeCryptoBackend}) unless `jwt.signatureBackend` says otherwise. The resource
 * server is the same object in every other respect, and decides exactly as the Web Crypto
 * one does.
 *
 * @throws PrmkitConfigError listing every problem by field path.
 * @example
 * ```ts
 * import { createResourceServer } from '@prmkit/core/node';
 *
 * const rs = createResourceServer({
 *   resource: 'https://api.example.com/mcp',
 *   authorizationServers: ['https://auth.example.com'],
 * });
 * // To keep Web Crypto: jwt: { signatureBackend: webCryptoBackend } (from '@prmkit/core').
 * ```
 * @see RFC 9728 §2, RFC 9068 §4, RFC 7518 §3
 */
export function createResourceServer(config: ResourceServerConfig): ResourceServer {
  return createWebResourceServer(withNodeCrypto(config));
}

/**
 * `input` itself when it already is a resource server, else a new one made by this
 * entry's {@link createResourceServer} (node:crypto signatures). For Node adapters.
 *
 * @example
 * ```ts
 * import { toResourceServer } from '@prmkit/core/node';
 *
 * export function myNodeAdapter(input: ResourceServerInput) {
 *   const rs = toResourceServer(input);
 * }
 * ```
 * @see RFC 9728 §2
 */
export function toResourceServer(input: ResourceServerInput): ResourceServer {
  return isResourceServer(input) ? input : createResourceServer(input as ResourceServerConfig);
}

/**
 * `createResourceServerSet` of `@prmkit/core`, each member made by this entry's
 * {@link createResourceServer} (node:crypto signatures).
 *
 * @throws PrmkitConfigError listing every problem as `resources.<i>.<path>`.
 * @example
 * ```ts
 * import { createResourceServerSet } from '@prmkit/core/node';
 *
 * const set = createResourceServerSet([githubConfig, jiraConfig]);
 * ```
 * @see RFC 9728 §3.1
 */
export function createResourceServerSet(
  configs: readonly ResourceServerConfig[],
): ResourceServerSet {
  return createWebSet(configs, createResourceServer);
}

/**
 * `toResourceServers` of `@prmkit/core/adapter`, with node:crypto signatures: what the
 * Node adapters call on their input (one resource or several).
 *
 * @example
 * ```ts
 * import { toResourceServers } from '@prmkit/core/node';
 *
 * const target = toResourceServers(input); // ResourceServer | ResourceServerSet
 * ```
 * @see RFC 9728 §3.1
 */
export function toResourceServers(
  input: AnyResourceServerInput,
): ResourceServer | ResourceServerSet {
  return toWebResourceServers(input, createResourceServer);
}
