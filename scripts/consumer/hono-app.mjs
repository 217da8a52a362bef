// The Hono quick start of packages/hono/README.md served on Node by @hono/node-server,
// with the local settings (loopback issuer, allowHttp: 'loopback'). Shared by both majors.
import { assertStepUp, startQuickStart } from './express-app.mjs';
import {
  assertProtected,
  npmInstall,
  prmkitDependencies,
  run,
  StepError,
  strictServerTsconfig,
  writeFiles,
} from './harness.mjs';

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

export const honoTsconfig = strictServerTsconfig;

/** The published types refuse `c.get('auth').subject` on a route without `requireAuth()`. */
async function assertUnprotectedAuthIsOptional(ctx, dir) {
  await writeFiles(dir, {
    'tsconfig.unprotected.json': { ...honoTsconfig, files: ['unprotected.ts'] },
    'unprotected.ts': `import { Hono } from 'hono';\nimport type { PrmkitEnv } from '@prmkit/hono';\n\nconst app = new Hono<PrmkitEnv>();\napp.get('/open', (c) => c.json({ subject: c.get('auth').subject }));\n`,
  });
  const bad = await run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.unprotected.json'], {
    cwd: dir,
    env: ctx.npmEnv,
    log: ctx.log,
    check: false,
  });
  if (bad.code === 0 || !/possibly 'undefined'/.test(bad.output))
    throw new StepError(
      `c.get('auth').subject on an unprotected route: expected "possibly 'undefined'", got exit ${bad.code}`,
      bad.output,
    );
}

/**
 * Hono 4 on one @hono/node-server major, TypeScript (ESM, nodenext): the README quick start
 * with the Node serving lines and the local settings, compiled by tsc, run by node.
 */
export function honoScaffold(nodeServerMajor, { checkTyping = false } = {}) {
  return {
    name: `hono-node${nodeServerMajor}`,
    timeoutMs: 300_000,
    async run(ctx, dir) {
      const pkgs = ['@prmkit/core', '@prmkit/hono'];
      const { dependencies, overrides } = prmkitDependencies(ctx, pkgs);
      await writeFiles(dir, {
        'package.json': {
          name: `consumer-hono${nodeServerMajor}`,
          private: true,
          type: 'module',
          dependencies,
          overrides,
        },
        'tsconfig.json': honoTsconfig,
        'server.ts': honoServerSource,
      });
      const node = `@hono/node-server@${nodeServerMajor}`;
      await npmInstall(ctx, dir, ['hono@4', node, '@types/node', 'typescript']);
      await run('npx', ['tsc', '-p', '.'], { cwd: dir, env: ctx.npmEnv, log: ctx.log });
      if (checkTyping) await assertUnprotectedAuthIsOptional(ctx, dir);
      const running = await startQuickStart(ctx, dir, 'server.js');
      try {
        await assertProtected(ctx, { resource: running.resource });
        await assertStepUp(ctx, running.resource);
      } finally {
        await running.stop();
      }
    },
  };
}
