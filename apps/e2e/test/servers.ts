import type { ExampleServerOptions, RunningExampleServer } from '@prmkit/example-tools';
import { startServer as startExpress } from '@prmkit/express-server';
import { startServer as startFastify } from '@prmkit/fastify-server';

/** The four example servers, by framework, all started the same way. */
export const SERVERS: Readonly<Record<string, (options: ExampleServerOptions) => Promise<RunningExampleServer>>> = {
  express: startExpress,
  fastify: startFastify,
};

export const FRAMEWORKS = ['express', 'fastify'] as const;
