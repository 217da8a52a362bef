import type { ExampleServerOptions, RunningExampleServer } from '@prmkit/example-tools';
import { startServer as startExpress } from '@prmkit/express-server';

/** The four example servers, by framework, all started the same way. */
export const SERVERS: Readonly<Record<string, (options: ExampleServerOptions) => Promise<RunningExampleServer>>> = {
  express: startExpress,
};

export const FRAMEWORKS = ['express'] as const;
