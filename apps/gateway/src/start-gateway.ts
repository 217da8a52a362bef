import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { ExchangeEvent, ExchangeProfile } from '@prmkit/gateway';
import { createRedisStore, type RedisStore } from '@prmkit/redis';
import { createGatewayApp } from './app.js';
import type { BackendConfig } from './config.js';

/** Options of {@link startGateway}. */
export interface StartGatewayOptions {
  /** Port; 0 picks a free one. */
  readonly port?: number;
  /** Address to bind. Default 127.0.0.1. */
  readonly host?: string;
  /** Public origin; default `http://<host>:<bound port>`. */
  readonly publicUrl?: string | undefined;
  readonly issuer: string;
  readonly jwksUri?: string | undefined;
  readonly backends: readonly BackendConfig[];
  readonly clientId: string;
  readonly clientSecret: string;
  readonly profile?: ExchangeProfile | undefined;
  /** `redis://…`: exchanged tokens shared by every instance on it. */
  readonly redisUrl?: string | undefined;
  readonly onExchange?: ((event: ExchangeEvent) => void) | undefined;
}

/** A running gateway. */
export interface RunningGateway {
  /** The public origin. */
  readonly url: string;
  /** Where it really listens (`http://<host>:<port>`); differs from `url` behind a proxy. */
  readonly boundUrl: string;
  /** Resource (= URL) of each backend's route, by name. */
  readonly routes: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * Starts the gateway on Node (binds first, so port 0 yields the real origin).
 *
 * @example
 * ```ts
 * const gw = await startGateway({ port: 0, issuer, backends, clientId: 'gateway', clientSecret });
 * console.log(gw.routes.files); // http://127.0.0.1:54321/files
 * ```
 */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const host = options.host ?? '127.0.0.1';
  let listener = getRequestListener(
    () => new Response(null, { status: 503, headers: { 'retry-after': '1' } }),
  );
  const server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const boundUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const publicUrl = options.publicUrl ?? boundUrl;
  let store: RedisStore | undefined;
  try {
    if (options.redisUrl !== undefined) store = createRedisStore({ url: options.redisUrl });
    const app = createGatewayApp({
      publicUrl,
      issuer: options.issuer,
      jwksUri: options.jwksUri,
      backends: options.backends,
      client: {
        method: 'client_secret_basic',
        clientId: options.clientId,
        clientSecret: options.clientSecret,
      },
      profile: options.profile,
      store,
      onExchange: options.onExchange,
    });
    listener = getRequestListener(app.fetch);
  } catch (error) {
    server.close();
    await store?.close();
    throw error;
  }
  return {
    url: publicUrl,
    boundUrl,
    routes: Object.fromEntries(options.backends.map((b) => [b.name, `${publicUrl}${b.path}`])),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store?.close();
    },
  };
}
