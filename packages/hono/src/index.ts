export { prmkit } from './hono-adapter.js';
export type { PrmkitHono, PrmkitHonoOptions } from './hono-adapter.js';
export type { PrmkitEnv, PrmkitVariables, ProtectedEnv } from './env.js';
export type { RequireAuthOptions, ResourceServerInput, ResourceServerSet } from '@prmkit/core';
export type { ResourceServerSetInput } from '@prmkit/core/adapter';
