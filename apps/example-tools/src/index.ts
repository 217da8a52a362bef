export {
  createExampleMcpServer,
  registerExampleTools,
  EXAMPLE_SERVER_INFO,
  EXAMPLE_TOOL_SCOPES,
} from './tools.js';
export type { WhoamiResult } from './tools.js';
export { createExampleMcpHandler } from './mcp-handler.js';
export { toSdkAuthInfo } from './auth-info.js';
export type { ExampleAuthInfo } from './auth-info.js';
export { nodeMcpServe } from './node-bridge.js';
export type { NodeMcpServe } from './node-bridge.js';
export {
  defaultResource,
  EXAMPLE_METADATA_JWKS_PATH,
  exampleResourceServerConfig,
  ExampleServerEnvError,
  readServerEnv,
} from './config.js';
export type { ExampleServerOptions, RunningExampleServer } from './config.js';
export { EXAMPLE_LOG_LEVELS, exampleLogger } from './json-logger.js';
export type { ExampleLogLevel } from './json-logger.js';
export { listenHttp } from './listen.js';
export type { ListeningHttp } from './listen.js';
export { runExampleServer } from './run-main.js';
export { startExampleServer } from './start-example-server.js';
export type { MountedExampleApp } from './start-example-server.js';
