/* global AbortSignal */
// @prmkit/web scaffolds (issue #29): one MCP server on the official SDK's Web-standard
// Streamable HTTP handler (`@modelcontextprotocol/server`) behind `withPrmkit`, hosted by
// Next.js route handlers, `Bun.serve` and `Deno.serve`. The same checks on each: the 401
// challenge naming the RFC 9728 metadata, the metadata document, a 200 with a real token,
// step-up (403 insufficient_scope) on a route scope and on a tool, and a real tool call
// reaching the SDK with the caller's scopes (the body the guard read is still the handler's).
import { assertStepUp } from './express-app.mjs';
import { assertProtected, postMcp, StepError } from './harness.mjs';

/** The resource server: the README's settings, with the loopback issuer (local recipe). */
export const resourceServerSource = (env) => `createResourceServer({
  resource: ${env('PRMKIT_RESOURCE')},
  authorizationServers: [${env('PRMKIT_ISSUER')}],
  requiredScopes: ['mcp:tools'],
  scopesSupported: ['mcp:tools', 'mcp:admin'],
  toolScopes: { admin_stats: ['mcp:admin'] },
  allowHttp: 'loopback',
})`;

/** The MCP handler (official SDK, stateless) and the two protected handlers. */
export const mcpHandlersSource = `const mcp = createMcpHandler(
  () => {
    const server = new McpServer({ name: 'consumer-web', version: '1.0.0' });
    server.registerTool('whoami', { description: 'The caller' }, (ctx) => ({
      content: [{ type: 'text', text: JSON.stringify(ctx.http?.authInfo?.scopes ?? null) }],
    }));
    server.registerTool('admin_stats', { description: 'Needs mcp:admin' }, () => ({
      content: [{ type: 'text', text: 'stats' }],
    }));
    return server;
  },
  { legacy: 'stateless' },
);
const sdkAuthInfo = (auth: AuthInfo) => ({
  token: auth.token,
  clientId: auth.clientId ?? '',
  scopes: [...auth.scopes],
});
export const mcpRoute = withPrmkit(
  (request, auth) => mcp.fetch(request, { authInfo: sdkAuthInfo(auth) }),
  rs,
);
export const adminRoute = withPrmkit((_request, auth) => Response.json(auth.scopes), rs, {
  scopes: ['mcp:admin'],
});
`;

/**
 * A server for a fetch host: `serveLine` is the host's own serving call, with `route` as
 * its handler; `/admin` needs mcp:admin, everything else is the MCP endpoint.
 */
export const fetchServerSource = ({
  envFn,
  serveLine,
}) => `import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { createResourceServer, withPrmkit, type AuthInfo } from '@prmkit/web';

${envFn}
const rs = ${resourceServerSource((name) => `env('${name}')`)};
${mcpHandlersSource}
const route = (request: Request) =>
  new URL(request.url).pathname === '/admin' ? adminRoute(request) : mcpRoute(request);
${serveLine}
`;

const callTool = (resource, token, name) =>
  postMcp(
    resource,
    token,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name, arguments: {} },
    }),
  );

/** The checks every @prmkit/web scaffold makes against its running server. */
export async function assertWebScaffold(ctx, resource) {
  await assertProtected(ctx, { resource });
  await assertStepUp(ctx, resource);
  // The guard read a clone of this body (tool scopes); the SDK reads the original.
  const token = await ctx.token(resource, 'mcp:tools mcp:admin');
  for (const tool of ['whoami', 'admin_stats']) {
    const res = await callTool(resource, token, tool);
    const text = await res.text();
    if (res.status !== 200 || !text.includes(tool === 'whoami' ? 'mcp:admin' : 'stats'))
      throw new StepError(`tools/call ${tool} with mcp:admin: ${res.status} ${text}`);
  }
  // The root alias (on by default) serves the same document.
  const root = await fetch(new URL('/.well-known/oauth-protected-resource', resource), {
    signal: AbortSignal.timeout(10_000),
  });
  const doc = root.status === 200 ? await root.json() : undefined;
  if (doc?.resource !== resource)
    throw new StepError(`root metadata alias: ${root.status} ${JSON.stringify(doc)}`);
}
