export { startServer } from './start-server.js';
export { createExpressApp } from './app.js';
export type { ExampleExpressApp } from './app.js';
export type { ExampleServerOptions, RunningExampleServer } from '@prmkit/example-tools';
