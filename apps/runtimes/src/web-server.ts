// The shared adapter suite's routes behind @prmkit/web, served by the host's own API
// (`Bun.serve` or `Deno.serve`) on 127.0.0.1:$PORT with the suite's configuration
// ($PRMKIT_CONFIG, JSON). $PRMKIT_METADATA_BY: `wrapper` (withPrmkit serves the metadata)
// or `route` (metadataRoute does, as a Next.js file route would).
import type { AuthInfo, ResourceServerConfig } from '@prmkit/web';
import { createResourceServer, metadataRoute, withPrmkit } from '@prmkit/web';
import { env, host, hostVersion, type BunServer, type DenoHandler } from './host.ts';

type Info = Parameters<DenoHandler>[1];
/** The host's second argument: Bun's server or Deno's connection info. */
type Second = BunServer | Info;
const peerOf = (request: Request, second: Second): string | undefined =>
  'requestIP' in second ? second.requestIP(request)?.address : second.remoteAddr.hostname;

const config = JSON.parse(env('PRMKIT_CONFIG')) as ResourceServerConfig;
const metadataBy = env('PRMKIT_METADATA_BY');
const rs = createResourceServer(config);
const authJson = (auth: AuthInfo) => ({
  subject: auth.subject,
  clientId: auth.clientId,
  scopes: auth.scopes,
  audience: auth.audience,
  issuer: auth.issuer,
});

const options = { clientAddress: peerOf };
const mcp = withPrmkit(
  (_request, auth, _second: Second) => Response.json(authJson(auth)),
  rs,
  options,
);
const admin = withPrmkit((_request, auth, _second: Second) => Response.json(authJson(auth)), rs, {
  ...options,
  scopes: ['mcp:admin'],
});
// What an MCP SDK transport does: reads the request itself, after the guard.
const echo = withPrmkit(
  async (request, auth, second: Second) =>
    Response.json({
      subject: auth.subject,
      body: await request.text(),
      peer: peerOf(request, second),
      host: hostVersion,
      // Which entry of @prmkit/web this host's resolver picked (its export condition).
      entry: import.meta.resolve('@prmkit/web'),
    }),
  rs,
  options,
);
const metadata = metadataRoute(rs);

function route(request: Request, second: Second): Response | Promise<Response> {
  const { pathname } = new URL(request.url);
  if (metadataBy === 'route' && pathname.startsWith('/.well-known/')) return metadata.GET(request);
  if (pathname === '/public') return new Response('ok');
  if (pathname === '/mcp/admin' && request.method === 'GET') return admin(request, second);
  if (pathname === '/mcp/echo') return echo(request, second);
  return mcp(request, second);
}

const port = Number(env('PORT'));
if (host.bun) host.bun.serve({ port, hostname: '127.0.0.1', fetch: route });
else host.deno.serve({ port, hostname: '127.0.0.1', onListen: () => undefined }, route);
console.log(`${hostVersion} listening on 127.0.0.1:${port}`);
