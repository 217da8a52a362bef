import type { PrmkitLogger } from '@prmkit/core';
/** The example servers the demo can run, one per adapter. */
export const FRAMEWORKS = ['express', 'fastify', 'hono', 'nestjs'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const isFramework = (name: string): name is Framework =>
  (FRAMEWORKS as readonly string[]).includes(name);

/** A running example server (the shape every apps/<framework>-server exports). */
export interface RunningExampleServer {
  /** The MCP endpoint URL: all the client is told. */
  readonly url: string;
  readonly resource: string;
  close(): Promise<void>;
}

export interface StartServerOptions {
  readonly port?: number;
  readonly host?: string;
  readonly issuer: string;
  readonly jwksUri?: string;
  /** Where the server logs its decisions (the demo shows the reasons of its refusals). */
  readonly logger?: PrmkitLogger;
}

export type StartServer = (options: StartServerOptions) => Promise<RunningExampleServer>;

/**
 * Loads only the chosen server package, so `--framework hono` never loads NestJS.
 * Static specifiers keep bundlers and the test aliases able to see them.
 */
export async function loadStartServer(framework: Framework): Promise<StartServer> {
  switch (framework) {
    case 'express':
      return (await import('@prmkit/express-server')).startServer;
    case 'fastify':
      return (await import('@prmkit/fastify-server')).startServer;
    case 'hono':
      return (await import('@prmkit/hono-server')).startServer;
    case 'nestjs':
      return (await import('@prmkit/nestjs-server')).startServer;
  }
}
