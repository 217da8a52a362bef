import type { ExampleServerOptions, RunningExampleServer } from '@prmkit/example-tools';
import { startServer as startExpress } from '@prmkit/express-server';
import { startServer as startFastify } from '@prmkit/fastify-server';
import { startServer as startHono } from '@prmkit/hono-server';
import { startServer as startNest } from '@prmkit/nestjs-server';

/** The four example servers, by framework, all started the same way. */
export const SERVERS: Readonly<
  Record<string, (options: ExampleServerOptions) => Promise<RunningExampleServer>>
> = {
  express: startExpress,
  fastify: startFastify,
  hono: startHono,
  nestjs: startNest,
};

export const FRAMEWORKS = ['express', 'fastify', 'hono', 'nestjs'] as const;
