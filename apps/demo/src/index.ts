export { runDemo, type DemoOptions, type DemoResult } from './run-demo.js';
export { runCli, type CliIo } from './cli.js';
export { parseDemoArgs, USAGE, UsageError, type DemoArgs } from './args.js';
export { FRAMEWORKS, type Framework } from './frameworks.js';
export type { FlowFacts, ExchangeKind } from './flow-facts.js';
export { runGatewayDemo, type GatewayDemoOptions } from './run-gateway-demo.js';
