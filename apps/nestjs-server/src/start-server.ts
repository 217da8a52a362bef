import { startExampleServer } from '@prmkit/example-tools';
import type { ExampleServerOptions, RunningExampleServer } from '@prmkit/example-tools';
import { createNestApp } from './app.js';

/**
 * Starts the NestJS example MCP server (loopback by default). It binds first, so with
 * port 0 the default resource names the real port, then installs the Nest app.
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
    const { app, express, mcp } = await createNestApp(config);
    http.setHandler(express);
    return { mcp, app };
  });
}
