export { prmkit } from './express-adapter.js';
export type { PrmkitExpress, PrmkitExpressOptions } from './express-adapter.js';
export type {
  RequireAuthOptions,
  ResourceServerInput,
  ResourceServerSet,
  ResourceServerSetInput,
} from '@prmkit/core';
