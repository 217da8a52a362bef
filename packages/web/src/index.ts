// @prmkit/web — the core behind Web-standard handlers: `(request: Request) => Response`.
export { withPrmkit } from './with-prmkit.js';
export type { FetchHandler, ProtectedHandler, WithPrmkitOptions } from './with-prmkit.js';
export { metadataRoute } from './metadata-route.js';
export type { MetadataHandler, MetadataRoute } from './metadata-route.js';
export { createResourceServer } from '@prmkit/core';
export type {
  AuthInfo,
  RequireAuthOptions,
  ResourceServer,
  ResourceServerConfig,
  ResourceServerInput,
} from '@prmkit/core';
