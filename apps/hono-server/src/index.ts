export { startServer } from './start-server.js';
export { createHonoApp } from './app.js';
export type { ExampleHonoApp } from './app.js';
export type { ExampleServerOptions, RunningExampleServer } from '@prmkit/example-tools';
