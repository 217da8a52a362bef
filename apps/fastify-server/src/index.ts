export { startServer } from './start-server.js';
export { createFastifyApp } from './app.js';
export type { ExampleFastifyApp } from './app.js';
export type { ExampleServerOptions, RunningExampleServer } from '@prmkit/example-tools';
