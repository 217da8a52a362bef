export { prmkit } from './express-adapter.js';
export type { PrmkitExpress, PrmkitExpressOptions } from './express-adapter.js';
export type { RequireAuthOptions, ResourceServerInput, ResourceServerSet } from '@prmkit/core';
export type { ResourceServerSetInput } from '@prmkit/core/adapter';
