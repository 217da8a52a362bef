import type { ExampleServerOptions, RunningExampleServer } from '@prmkit/example-tools';
import { startServer as startExpress } from '@prmkit/express-server';
import { startServer as startFastify } from '@prmkit/fastify-server';
import { startServer as startHono } from '@prmkit/hono-server';
import { startServer as startNest } from '@prmkit/nestjs-server';

export const FRAMEWORKS = ['express', 'fastify', 'hono', 'nestjs'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** The four example servers, by framework, all started the same way. */
export const SERVERS: Readonly<
  Record<Framework, (options: ExampleServerOptions) => Promise<RunningExampleServer>>
> = {
  express: startExpress,
  fastify: startFastify,
  hono: startHono,
  nestjs: startNest,
};
