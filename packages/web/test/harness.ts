import { serve } from '@hono/node-server';
import type { AdapterHarness } from '@prmkit/adapter-tests';
import type { AuthInfo, ResourceServerConfig } from '@prmkit/core';
import { createResourceServer, metadataRoute, withPrmkit } from '../src/index.js';

export const authJson = (auth: AuthInfo): Record<string, unknown> => ({
  subject: auth.subject,
  clientId: auth.clientId,
  scopes: auth.scopes,
  audience: auth.audience,
  issuer: auth.issuer,
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
): (request: Request) => Response | Promise<Response> {
  const rs = createResourceServer(config);
  const mcp = withPrmkit((_request, auth) => Response.json(authJson(auth)), rs);
  const admin = withPrmkit((_request, auth) => Response.json(authJson(auth)), rs, {
    scopes: ['mcp:admin'],
  });
  const metadata = metadataRoute(rs);
  return (request) => {
    const { pathname } = new URL(request.url);
    if (metadataBy === 'route' && pathname.startsWith('/.well-known/'))
      return metadata.GET(request);
    if (pathname === '/public') return new Response('ok');
    if (pathname === '/mcp/admin' && request.method === 'GET') return admin(request);
    return mcp(request);
  };
}

/** Drives a Web handler in process (no socket): a `Request` in, a `Response` out. */
export function fetchHarness(metadataBy: MetadataBy): AdapterHarness {
  return {
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
    async start({ port, config }) {
      const handler = buildHandler(config, metadataBy);
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: handler, port, hostname: '127.0.0.1' }, () => resolve(s));
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
