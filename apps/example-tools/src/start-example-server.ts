import { readFileSync } from 'node:fs';
import type { ResourceServerConfig } from '@prmkit/core';
import { createRedisStore, type RedisStore } from '@prmkit/redis';
import { defaultResource, exampleResourceServerConfig } from './config.js';
import type { ExampleServerOptions, RunningExampleServer } from './config.js';
import { listenHttp } from './listen.js';
import type { ListeningHttp } from './listen.js';

/** Something with an async `close()`: the MCP handler, a framework app. */
interface Closable {
  close(): Promise<unknown>;
}

/** What a framework's `mount` hands back: closed in this order, around the HTTP server. */
export interface MountedExampleApp {
  /** Closed first (open MCP streams end before the socket does). */
  readonly mcp: Closable;
  /** Closed after the HTTP server, for frameworks that own more than a handler. */
  readonly app?: Closable;
}

/**
 * The start-up every example server shares: bind first (so port 0 yields the real port for
 * the default resource), build the config, let the framework mount its app on the bound
 * server, and close everything in order. A failed mount closes the socket again.
 *
 * @example
 * ```ts
 * export const startServer = (options: ExampleServerOptions) =>
 *   startExampleServer(options, (config, http) => {
 *     const { app, mcp } = createExpressApp(config);
 *     http.setHandler(app);
 *     return { mcp };
 *   });
 * ```
 * @see RFC 9728 §3.3 (the resource must equal the URL clients use)
 */
export async function startExampleServer(
  options: ExampleServerOptions,
  mount: (
    config: ResourceServerConfig,
    http: ListeningHttp,
  ) => MountedExampleApp | Promise<MountedExampleApp>,
): Promise<RunningExampleServer> {
  const tls = options.tls && {
    cert: readFileSync(options.tls.certFile, 'utf8'),
    key: readFileSync(options.tls.keyFile, 'utf8'),
  };
  const http = await listenHttp(options.port ?? 0, options.host ?? '127.0.0.1', tls);
  const resource = options.resource ?? defaultResource(http.port, tls ? 'https' : 'http');
  // Shared state when PRMKIT_REDIS_URL is set. Connects in the background: until the first
  // connection is up, requests that need the store are refused (fail closed).
  let store: RedisStore | undefined;
  try {
    if (options.redisUrl !== undefined) store = createRedisStore({ url: options.redisUrl });
    const { mcp, app } = await mount(exampleResourceServerConfig(options, resource, store), http);
    return {
      url: resource,
      resource,
      async close() {
        await mcp.close();
        await http.close();
        await app?.close();
        await store?.close();
      },
    };
  } catch (error) {
    await http.close();
    await store?.close();
    throw error;
  }
}
