// The Hono quick start of packages/hono/README.md served on Node by @hono/node-server,
// with the local settings (loopback issuer, allowHttp: 'loopback'). Shared by both majors.
export const honoServerSource = `import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { prmkit, type PrmkitEnv } from '@prmkit/hono';

const prm = prmkit({
  resource: process.env['PRMKIT_RESOURCE'] ?? '',
  authorizationServers: [process.env['PRMKIT_ISSUER'] ?? ''],
  requiredScopes: ['mcp:tools'],
  scopesSupported: ['mcp:tools', 'mcp:admin'],
  toolScopes: { admin_stats: ['mcp:admin'] },
  allowHttp: 'loopback',
});
const app = new Hono<PrmkitEnv>();
app.use(prm.metadata);
app.post('/mcp', prm.requireAuth(), (c) => c.json({ hello: c.get('auth')?.subject }));
app.get('/admin', prm.requireAuth({ scopes: ['mcp:admin'] }), (c) => c.json(c.get('auth')?.scopes));
app.get('/health', (c) => c.text('ok'));
serve({ fetch: app.fetch, port: Number(process.env['PORT']), hostname: '127.0.0.1' });
`;

export const honoTsconfig = {
  compilerOptions: {
    module: 'nodenext',
    target: 'es2023',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    types: ['node'],
  },
  files: ['server.ts'],
};
