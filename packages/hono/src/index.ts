export { prmkit } from './hono-adapter.js';
export type {
  PrmkitEnv,
  PrmkitHono,
  PrmkitHonoOptions,
  PrmkitVariables,
  RequireAuthOptions,
} from './hono-adapter.js';
export type { ResourceServerInput } from '@prmkit/core';
