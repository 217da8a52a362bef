import { createResourceServer } from '@prmkit/core';
import type { ResourceServer, ResourceServerConfig } from '@prmkit/core';

/** A configuration to validate now, or a resource server built elsewhere (shared with other adapters). */
export type ResourceServerInput = ResourceServerConfig | ResourceServer;

/** Builds the resource server once, at registration, so a bad config fails at startup. */
export function toResourceServer(input: ResourceServerInput): ResourceServer {
  const candidate = input as Partial<ResourceServer>;
  return typeof candidate.authorize === 'function' && typeof candidate.handleMetadataRequest === 'function'
    ? (input as ResourceServer)
    : createResourceServer(input as ResourceServerConfig);
}
