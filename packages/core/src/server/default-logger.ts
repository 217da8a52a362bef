import type { ResourceServerConfig } from './config-types.js';
import { isResourceServer } from './resource-server.js';
import { type AnyResourceServerInput, isResourceServerSet } from './resource-server-set.js';
import type { PrmkitLogger } from '../model/logger.js';
import { markFrameworkDefault } from '../observe/framework-logger.js';

/**
 * `input` with `logger` as its logger unless it names one (or already is a resource
 * server or set; an array: each configuration): how an adapter makes the framework's logger the default. A request may then
 * bring its own child of it (`RequestLike.logger`, Fastify's `request.log`); a logger the
 * user configured is always used as is.
 *
 * @example
 * ```ts
 * const rs = toResourceServer(withDefaultLogger(options.resourceServer, fastify.log));
 * ```
 * @see RFC 6750 §3.1 (the reasons logged)
 */
export function withDefaultLogger<T extends AnyResourceServerInput>(
  input: T,
  logger: PrmkitLogger,
): T {
  // Several configurations (a set to be built): each member gets the default.
  if (Array.isArray(input))
    return input.map((config: ResourceServerConfig) =>
      withDefaultLogger(config, logger),
    ) as unknown as T;
  if (
    isResourceServer(input) ||
    isResourceServerSet(input) ||
    typeof input !== 'object' ||
    input === null
  )
    return input;
  const config = input as ResourceServerConfig;
  if (config.logger !== undefined) return input;
  markFrameworkDefault(logger);
  return { ...config, logger } as T;
}
