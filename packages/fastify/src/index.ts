export { prmkitPlugin, prmkitPlugin as default } from './fastify-plugin.js';
export type { PrmkitFastifyOptions, RequireAuthOptions } from './fastify-plugin.js';
export type { ResourceServerInput } from '@prmkit/core';
