// @prmkit/client with the official MCP SDK client (@modelcontextprotocol/client): a
// Hono + @prmkit/hono MCP server (official SDK server, one `whoami` tool), and a client
// that knows only the server's URL and a client id/secret registered at the example
// authorization server. createAuthFetch discovers everything from the 401 challenge,
// gets a token (client credentials, RFC 8707 resource) and the SDK lists and calls tools.
import {
  assertProtected,
  npmInstall,
  prmkitDependencies,
  run,
  StepError,
  writeFiles,
} from '../harness.mjs';
import { startQuickStart } from '../express-app.mjs';
import { honoTsconfig } from '../hono-app.mjs';

const server = `import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { prmkit, type PrmkitEnv } from '@prmkit/hono';

const prm = prmkit({
  resource: process.env['PRMKIT_RESOURCE'] ?? '',
  authorizationServers: [process.env['PRMKIT_ISSUER'] ?? ''],
  requiredScopes: ['mcp:tools'],
  allowHttp: 'loopback',
});
const mcp = createMcpHandler(
  () => {
    const server = new McpServer({ name: 'consumer', version: '1.0.0' });
    server.registerTool('whoami', { description: 'The caller' }, (ctx) => ({
      content: [{ type: 'text', text: JSON.stringify(ctx.http?.authInfo?.scopes ?? null) }],
    }));
    return server;
  },
  { legacy: 'stateless' },
);
const app = new Hono<PrmkitEnv>();
app.use(prm.metadata);
app.all('/mcp', prm.requireAuth(), async (c) => {
  const auth = c.get('auth');
  if (auth === undefined) return c.text('unreachable', 500);
  return mcp.fetch(c.req.raw, {
    authInfo: { token: auth.token, clientId: auth.clientId ?? '', scopes: [...auth.scopes] },
  });
});
serve({ fetch: app.fetch, port: Number(process.env['PORT']), hostname: '127.0.0.1' });
`;

const client = `import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createAuthFetch } from '@prmkit/client';

const [url, clientId, clientSecret] = process.argv.slice(2);
if (!url || !clientId || !clientSecret) throw new Error('usage: client.js <url> <client id> <secret>');
const transport = new StreamableHTTPClientTransport(new URL(url), {
  fetch: createAuthFetch({
    grant: 'client_credentials',
    client: { clientId, clientSecret },
    allowHttp: 'loopback',
  }),
});
const mcpClient = new Client({ name: 'consumer-client', version: '1.0.0' });
await mcpClient.connect(transport);
const { tools } = await mcpClient.listTools();
const result = await mcpClient.callTool({ name: 'whoami', arguments: {} });
console.log(JSON.stringify({ tools: tools.map((t) => t.name), result: result.content }));
await mcpClient.close();
`;

export default {
  name: 'client-mcp',
  timeoutMs: 300_000,
  async run(ctx, dir) {
    const { dependencies, overrides } = prmkitDependencies(ctx, [
      '@prmkit/core',
      '@prmkit/hono',
      '@prmkit/client',
    ]);
    await writeFiles(dir, {
      'package.json': {
        name: 'consumer-client',
        private: true,
        type: 'module',
        dependencies,
        overrides,
      },
      'tsconfig.json': { ...honoTsconfig, files: ['server.ts', 'client.ts'] },
      'server.ts': server,
      'client.ts': client,
    });
    await npmInstall(ctx, dir, [
      'hono@4',
      '@hono/node-server',
      '@modelcontextprotocol/server@2',
      '@modelcontextprotocol/client@2',
      '@types/node',
      'typescript',
    ]);
    await run('npx', ['tsc', '-p', '.'], { cwd: dir, env: ctx.npmEnv, log: ctx.log });
    const running = await startQuickStart(ctx, dir, 'server.js');
    try {
      await assertProtected(ctx, { resource: running.resource });
      const { output } = await run(
        'node',
        ['client.js', running.resource, ctx.client.clientId, ctx.client.clientSecret],
        {
          cwd: dir,
          log: ctx.log,
          timeoutMs: 60_000,
        },
      );
      const line = output.trim().split('\n').pop() ?? '';
      let parsed;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new StepError('the client printed no result', output);
      }
      if (!parsed.tools.includes('whoami') || !JSON.stringify(parsed.result).includes('mcp:tools'))
        throw new StepError(`unexpected client result: ${line}`, output);
    } finally {
      await running.stop();
    }
    return 'the SDK client connected through createAuthFetch, listed and called a tool';
  },
};
