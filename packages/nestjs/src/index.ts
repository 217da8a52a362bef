export { PrmkitModule } from './module.js';
export type {
  PrmkitConfigFactory,
  PrmkitModuleAsyncOptions,
  PrmkitModuleOptions,
} from './module.js';
export { PrmkitGuard } from './guard.js';
export { PrmkitExceptionFilter } from './refusal.js';
export { PrmkitAuthException } from './refusal.js';
export { Auth, Public, RequireScopes } from './decorators.js';
export {
  PRMKIT_CONFIG,
  PRMKIT_PUBLIC_KEY,
  PRMKIT_RESOURCE_SERVER,
  PRMKIT_SCOPES_KEY,
} from './tokens.js';
