// The Express quick start of packages/express/README.md, with the local settings its
// "Get a 200 locally" recipe adds: the loopback issuer and resource from the environment,
// and allowHttp: 'loopback'. Shared by the Express scaffolds (JS, TS, CommonJS) and inspect.
import { join } from 'node:path';
import {
  assertProtected,
  freePort,
  npmInstall,
  postMcp,
  prmkitDependencies,
  run,
  startServer,
  StepError,
  writeFiles,
} from './harness.mjs';

/** Source of the server; `flavor` picks the module syntax. */
export function expressServerSource(flavor = 'esm') {
  const body = `
const prm = prmkit({
  resource: process.env.PRMKIT_RESOURCE${flavor === 'js' || flavor === 'esm' ? '' : ' as string'},
  authorizationServers: [process.env.PRMKIT_ISSUER${flavor === 'js' || flavor === 'esm' ? '' : ' as string'}],
  requiredScopes: ['mcp:tools'],
  scopesSupported: ['mcp:tools', 'mcp:admin'],
  toolScopes: { admin_stats: ['mcp:admin'] },
  allowHttp: 'loopback',
});
const app = express();
app.use(prm.metadata); // at the app root: /.well-known/oauth-protected-resource/mcp
app.post('/mcp', prm.requireAuth(), (req, res) => res.json({ hello: req.auth?.subject }));
app.get('/admin', prm.requireAuth({ scopes: ['mcp:admin'] }), (req, res) => res.json(req.auth?.scopes));
app.listen(Number(process.env.PORT), '127.0.0.1');
`;
  if (flavor === 'cjs-js')
    return `const express = require('express');\nconst { prmkit } = require('@prmkit/express');\n${body}`;
  return `import express from 'express';\nimport { prmkit } from '@prmkit/express';\n${body}`;
}

/** Starts `node <entry>` in `dir` as the quick-start server; resolves { resource, stop }. */
export async function startQuickStart(ctx, dir, entry, args = [], { path = '/mcp' } = {}) {
  const port = await freePort();
  const resource = `http://127.0.0.1:${port}${path}`;
  const server = await startServer('node', [...args, entry], {
    cwd: dir,
    env: { PORT: String(port), PRMKIT_RESOURCE: resource, PRMKIT_ISSUER: ctx.as.issuer },
    readyUrl: `http://127.0.0.1:${port}/.well-known/oauth-protected-resource${path}`,
    log: ctx.log,
  });
  return { resource, port, stop: server.stop };
}

/** Route and tool scopes: mcp:tools alone → 403 insufficient_scope; with mcp:admin → 200. */
export async function assertStepUp(ctx, resource) {
  const admin = new URL('/admin', resource).href;
  const low = await ctx.token(resource, 'mcp:tools');
  const denied = await fetch(admin, { headers: { authorization: `Bearer ${low}` } });
  const challenge = denied.headers.get('www-authenticate') ?? '';
  if (denied.status !== 403 || !/error="insufficient_scope"/.test(challenge))
    throw new StepError(`GET /admin with mcp:tools only: ${denied.status} ${challenge}`);
  const tool = await postMcp(
    resource,
    low,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'admin_stats', arguments: {} },
    }),
  );
  if (tool.status !== 403)
    throw new StepError(`tools/call admin_stats with mcp:tools only: ${tool.status}`);
  const high = await ctx.token(resource, 'mcp:tools mcp:admin');
  const allowed = await fetch(admin, { headers: { authorization: `Bearer ${high}` } });
  if (allowed.status !== 200) throw new StepError(`GET /admin with mcp:admin: ${allowed.status}`);
}

/**
 * The plain-JavaScript ESM scaffold for one Express major: the README quick start installed
 * from the tarballs. `localRecipe` takes the token from the READMEs' "Get a 200 locally"
 * recipe (apps/authorization-server/dist/local-token.js) instead of the harness.
 */
export function expressJsScaffold(major, { localRecipe = false } = {}) {
  return {
    name: `express${major}-js`,
    timeoutMs: 240_000,
    async run(ctx, dir) {
      const { dependencies, overrides } = prmkitDependencies(ctx, [
        '@prmkit/core',
        '@prmkit/express',
      ]);
      await writeFiles(dir, {
        'package.json': {
          name: `consumer-express${major}`,
          private: true,
          type: 'module',
          dependencies,
          overrides,
        },
        'server.js': expressServerSource('esm'),
      });
      await npmInstall(ctx, dir, [`express@${major}`]);
      const server = await startQuickStart(ctx, dir, 'server.js');
      try {
        const localToken = async (resource, scope) => {
          const script = join(ctx.repoRoot, 'apps/authorization-server/dist/local-token.js');
          const { output } = await run('node', [script, resource, scope, ctx.as.issuer], {
            log: ctx.log,
          });
          return output.trim();
        };
        const tokenCtx = localRecipe ? { ...ctx, token: localToken } : ctx;
        await assertProtected(tokenCtx, { resource: server.resource });
        await assertStepUp(ctx, server.resource);
      } finally {
        await server.stop();
      }
    },
  };
}
