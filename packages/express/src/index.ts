export { prmkit } from './express-adapter.js';
export type { PrmkitExpress, PrmkitExpressOptions, RequireAuthOptions } from './express-adapter.js';
export type { ResourceServerInput } from '@prmkit/core';
