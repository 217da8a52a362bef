export { prmkitPlugin, prmkitPlugin as default } from './fastify-plugin.js';
export type { PrmkitFastifyOptions } from './fastify-plugin.js';
export type { RequireAuthOptions, ResourceServerInput, ResourceServerSet } from '@prmkit/core';
export type { ResourceServerSetInput } from '@prmkit/core/adapter';
