import { startExampleServer } from '@prmkit/example-tools';
import type { ExampleServerOptions, RunningExampleServer } from '@prmkit/example-tools';
import { createFastifyApp } from './app.js';

/**
 * Starts the Fastify example MCP server (loopback by default). The HTTP server binds
 * first (so with port 0 the default resource names the real port), then Fastify serves
 * on it through `serverFactory`.
 *
 * @example
 * ```ts
 * const server = await startServer({ port: 0, issuer: 'http://127.0.0.1:9000' });
 * console.log(server.url); // http://localhost:54321/mcp
 * await server.close();
 * ```
 * @see RFC 9728 §3.3 (resource must match the URL clients use)
 */
export function startServer(options: ExampleServerOptions): Promise<RunningExampleServer> {
  return startExampleServer(options, async (config, http) => {
    const { app, mcp } = await createFastifyApp(config, (handler) => {
      http.setHandler(handler);
      return http.server;
    });
    await app.ready();
    return { mcp, app };
  });
}
