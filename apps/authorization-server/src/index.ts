export {
  startAuthorizationServer,
  type RunningAuthorizationServer,
} from './start-authorization-server.js';
export {
  AuthorizationServerConfigError,
  DEFAULT_SCOPES,
  type AuthorizationServerOptions,
  type AutoApprove,
  type TokenExchangeClient,
  type TokenExchangeOptions,
} from './options.js';
export { DEMO_USERS, type DemoUser } from './demo-users.js';
export { optionsFromEnv } from './env.js';
