import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Node HTTP server that is bound and waits for its request handler. */
export interface ListeningHttp {
  /** The underlying server (for frameworks that want it, e.g. Fastify's `serverFactory`). */
  readonly server: Server;
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** Installs the app; until then every request gets 503 with `Retry-After`. */
  setHandler(handler: RequestListener): void;
  /** Stops accepting, drops open connections (SSE streams included), resolves when closed. */
  close(): Promise<void>;
}

/**
 * Binds `host:port` (HTTPS with `tls`) before any app exists, so a server asked for port 0 can build its
 * configuration (the resource URL) with the real port, then install the app.
 *
 * @example
 * ```ts
 * const http = await listenHttp(0, '127.0.0.1');
 * http.setHandler(createApp(`http://localhost:${http.port}/mcp`));
 * ```
 * @see RFC 9728 §3.3 (the resource must equal the URL clients use)
 */
export async function listenHttp(
  port: number,
  host: string,
  tls?: { readonly cert: string; readonly key: string },
): Promise<ListeningHttp> {
  let handler: RequestListener = (_req, res) => {
    res.writeHead(503, { 'retry-after': '1' }).end();
  };
  const listener: RequestListener = (req, res) => handler(req, res);
  // HTTPS asks for a client certificate but does not require one: RFC 8705 binding is checked
  // per token by the core (mtls), and a client without a certificate still gets a challenge.
  const server: Server = tls
    ? createHttpsServer({ ...tls, requestCert: true, rejectUnauthorized: false }, listener)
    : createServer(listener);
  // Bounded: slow or idle clients cannot hold sockets forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    server,
    port: (server.address() as AddressInfo).port,
    setHandler(next) {
      handler = next;
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
