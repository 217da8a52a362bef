export { prmkit } from './hono-adapter.js';
export type { ProtectedEnv } from './protected-env.js';
export type { PrmkitEnv, PrmkitHono, PrmkitHonoOptions, PrmkitVariables } from './hono-adapter.js';
export type { RequireAuthOptions, ResourceServerInput } from '@prmkit/core';
