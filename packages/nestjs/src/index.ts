export { PrmkitModule, type PrmkitConfigFactory, type PrmkitModuleAsyncOptions } from './module.js';
export type { PrmkitModuleOptions } from './module.js';
export { PrmkitGuard } from './guard.js';
export { PrmkitAuthException, PrmkitExceptionFilter } from './refusal.js';
export { Auth, Public, RequireScopes } from './decorators.js';
export { PRMKIT_CONFIG, PRMKIT_PUBLIC_KEY } from './tokens.js';
export { PRMKIT_RESOURCE_SERVER, PRMKIT_SCOPES_KEY } from './tokens.js';
