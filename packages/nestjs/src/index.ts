export { PrmkitModule, type PrmkitConfigFactory, type PrmkitModuleAsyncOptions } from './module.js';
export type { PrmkitConfig, PrmkitModuleOptions } from './module.js';
export { PrmkitAuthException, PrmkitExceptionFilter, PrmkitGuard } from './guard.js';
export { Auth, Public, RequireScopes } from './decorators.js';
export { PRMKIT_CONFIG, PRMKIT_PUBLIC_KEY } from './tokens.js';
export { PRMKIT_RESOURCE_SERVER, PRMKIT_SCOPES_KEY } from './tokens.js';
