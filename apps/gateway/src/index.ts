export { createGatewayApp, type GatewayAppOptions } from './app.js';
export { startGateway, type RunningGateway, type StartGatewayOptions } from './start-gateway.js';
export {
  type BackendConfig,
  GatewayConfigError,
  type GatewayEnv,
  type GatewayFileConfig,
  parseGatewayConfig,
  readGatewayEnv,
} from './config.js';
