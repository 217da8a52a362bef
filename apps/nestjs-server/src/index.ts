export { startServer } from './start-server.js';
export { createNestApp } from './app.js';
export type { ExampleNestApp } from './app.js';
export type { ExampleServerOptions, RunningExampleServer } from '@prmkit/example-tools';
