export { prmkit } from './hono-adapter.js';
export type { PrmkitHono, PrmkitHonoOptions } from './hono-adapter.js';
export type { PrmkitEnv, PrmkitVariables, ProtectedEnv } from './env.js';
export type {
  RequireAuthOptions,
  ResourceServerInput,
  ResourceServerSet,
  ResourceServerSetInput,
} from '@prmkit/core';
