import { serve } from '@hono/node-server';
import { createServer as createHttpsServer } from 'node:https';
import type { AdapterHarness, ServerTls } from '@prmkit/adapter-tests';
import { nodePeerCertificate } from '@prmkit/core/adapter';
import type { AuthInfo, ResourceServerConfig } from '@prmkit/core';
import { createResourceServer, metadataRoute, withPrmkit } from '../src/index.js';

export const authJson = (auth: AuthInfo): Record<string, unknown> => ({
  subject: auth.subject,
  clientId: auth.clientId,
  scopes: auth.scopes,
  audience: auth.audience,
  issuer: auth.issuer,
  actor: auth.actor,
});

/** The handler reads the body itself, after the check (the wrapper hands it over unread). */
async function echo(request: Request, auth: AuthInfo): Promise<Response> {
  const text = await request.text();
  return Response.json({ ...authJson(auth), body: text === '' ? undefined : JSON.parse(text) });
}

/** What @hono/node-server passes a fetch handler besides the request. */
type NodeEnv = { incoming?: { socket?: { remoteAddress?: string } } } | undefined;

/** @hono/node-server options for HTTPS asking for (not requiring) a client certificate. */
const httpsOptions = <T extends object>(options: T, tls: ServerTls) => ({
  ...options,
  createServer: createHttpsServer,
  serverOptions: { ...tls, requestCert: true, rejectUnauthorized: false },
});

/** Where the metadata comes from: the wrapper itself, or `metadataRoute` (a file route). */
export type MetadataBy = 'wrapper' | 'route';

/**
 * The suite's routes as one Web handler, the way a `Bun.serve`/`Deno.serve` app writes
 * them: `/public` open, `/mcp/admin` with a route scope, everything else behind
 * `withPrmkit`, which also serves the metadata (or `metadataRoute` does, as in Next.js).
 */
export function buildHandler(
  config: ResourceServerConfig,
  metadataBy: MetadataBy = 'wrapper',
): (request: Request, env?: NodeEnv) => Response | Promise<Response> {
  const rs = createResourceServer(config);
  // On Node (@hono/node-server hands the Node request as `env.incoming`): the socket's peer
  // address and TLS certificate, as a Node host of a Web handler would pass them.
  const peer = {
    peerAddress: (_request: Request, env?: NodeEnv) => env?.incoming?.socket?.remoteAddress,
    peerCertificate: (_request: Request, env?: NodeEnv) =>
      nodePeerCertificate(env?.incoming?.socket)(),
  };
  const mcp = withPrmkit<[NodeEnv?]>(echo, rs, peer);
  const admin = withPrmkit<[NodeEnv?]>((_request, auth) => Response.json(authJson(auth)), rs, {
    scopes: ['mcp:admin'],
    ...peer,
  });
  const metadata = metadataRoute(rs);
  return (request, env) => {
    const { pathname } = new URL(request.url);
    if (metadataBy === 'route' && pathname.startsWith('/.well-known/'))
      return metadata.GET(request);
    if (pathname === '/public') return new Response('ok');
    if (pathname === '/mcp/admin' && request.method === 'GET') return admin(request, env);
    return mcp(request, env);
  };
}

/** Drives a Web handler in process (no socket): a `Request` in, a `Response` out. */
export function fetchHarness(metadataBy: MetadataBy): AdapterHarness {
  return {
    bodyReader: 'handler',
    async inProcess({ config }) {
      const handler = buildHandler(config, metadataBy);
      const origin = new URL(config.resource).origin;
      return {
        repeatsHeaders: false, // a Web Headers joins two lines into one
        async send(req) {
          const headers = new Headers();
          for (const [name, value] of Object.entries(req.headers ?? {}))
            for (const v of [value].flat()) headers.append(name, v);
          const res = await handler(
            new Request(new URL(req.path, origin), {
              method: req.method ?? 'GET',
              headers,
              body: req.body,
            }),
          );
          return { status: res.status, headers: res.headers, body: await res.text() };
        },
        close: async () => undefined,
      };
    },
    // On Node through @hono/node-server's Request/Response bridge (as a Node host of a
    // Web handler would); Bun and Deno serve it natively in apps/runtimes.
    async start({ port, config, tls }) {
      const handler = buildHandler(config, metadataBy);
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const options = {
          fetch: (request: Request, env: unknown) => handler(request, env as NodeEnv),
          port,
          hostname: '127.0.0.1',
        };
        const s = tls
          ? serve(httpsOptions(options, tls), () => resolve(s))
          : serve(options, () => resolve(s));
      });
      return {
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      };
    },
  };
}
