import { getRequestListener } from '@hono/node-server';
import { startExampleServer } from '@prmkit/example-tools';
import type { ExampleServerOptions, RunningExampleServer } from '@prmkit/example-tools';
import { createHonoApp } from './app.js';

/**
 * Starts the Hono example MCP server on Node (`@hono/node-server`), loopback by default.
 * It binds first, so with port 0 the default resource names the real port.
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
  return startExampleServer(options, (config, http) => {
    const { app, mcp } = createHonoApp(config);
    http.setHandler(getRequestListener(app.fetch));
    return { mcp };
  });
}
