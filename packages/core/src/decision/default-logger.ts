import type { ResourceServerConfig } from '../config-types.js';
import { isResourceServer, type ResourceServerInput } from '../resource-server.js';
import type { PrmkitLogger } from './logger.js';

/**
 * `input` with `logger` as its logger unless it names one (or already is a resource
 * server): how an adapter makes the framework's logger the default.
 *
 * @example
 * ```ts
 * const rs = toResourceServer(withDefaultLogger(options.resourceServer, fastify.log));
 * ```
 * @see RFC 6750 §3.1 (the reasons logged)
 */
export function withDefaultLogger<T extends ResourceServerInput>(
  input: T,
  logger: PrmkitLogger,
): T {
  if (isResourceServer(input) || typeof input !== 'object' || input === null) return input;
  const config = input as ResourceServerConfig;
  return (config.logger === undefined ? { ...config, logger } : config) as T;
}
