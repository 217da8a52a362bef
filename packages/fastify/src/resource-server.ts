import { createResourceServer } from '@prmkit/core';
import type { ResourceServer, ResourceServerConfig } from '@prmkit/core';

/**
 * A configuration to validate now, or a resource server built elsewhere (shared with other adapters).
 *
 * @example
 * ```ts
 * const input: ResourceServerInput = createResourceServer(config); // or just `config`
 * ```
 * @see RFC 9728 §2
 */
export type ResourceServerInput = ResourceServerConfig | ResourceServer;

/** Builds the resource server once, at registration, so a bad config fails at startup. Internal. */
export function toResourceServer(input: ResourceServerInput): ResourceServer {
  const candidate = input as Partial<ResourceServer>;
  return typeof candidate.authorize === 'function' && typeof candidate.handleMetadataRequest === 'function'
    ? (input as ResourceServer)
    : createResourceServer(input as ResourceServerConfig);
}
