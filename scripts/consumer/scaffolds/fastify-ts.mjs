// Fastify 5 in TypeScript (ESM, module nodenext, today's tsc): the README quick start with
// the local settings, compiled by tsc, run by node.
import {
  assertProtected,
  npmInstall,
  prmkitDependencies,
  run,
  strictServerTsconfig,
  writeFiles,
} from '../harness.mjs';
import { assertStepUp, startQuickStart } from '../express-app.mjs';

const server = `import Fastify from 'fastify';
import { prmkitPlugin } from '@prmkit/fastify';

const app = Fastify();
await app.register(prmkitPlugin, {
  resourceServer: {
    resource: process.env['PRMKIT_RESOURCE'] ?? '',
    authorizationServers: [process.env['PRMKIT_ISSUER'] ?? ''],
    requiredScopes: ['mcp:tools'],
    scopesSupported: ['mcp:tools', 'mcp:admin'],
    toolScopes: { admin_stats: ['mcp:admin'] },
    allowHttp: 'loopback',
  },
});
app.post('/mcp', { preParsing: app.requireAuth() }, async (req) => ({ hello: req.auth?.subject }));
app.get('/admin', { config: { prmkit: { scopes: ['mcp:admin'] } } }, async (req) => req.auth?.scopes);
await app.listen({ port: Number(process.env['PORT']), host: '127.0.0.1' });
`;

export default {
  name: 'fastify-ts',
  timeoutMs: 300_000,
  async run(ctx, dir) {
    const { dependencies, overrides } = prmkitDependencies(ctx, [
      '@prmkit/core',
      '@prmkit/fastify',
    ]);
    await writeFiles(dir, {
      'package.json': {
        name: 'consumer-fastify',
        private: true,
        type: 'module',
        dependencies,
        overrides,
      },
      'tsconfig.json': strictServerTsconfig,
      'server.ts': server,
    });
    await npmInstall(ctx, dir, ['fastify@5', '@types/node', 'typescript']);
    await run('npx', ['tsc', '-p', '.'], { cwd: dir, env: ctx.npmEnv, log: ctx.log });
    const running = await startQuickStart(ctx, dir, 'server.js');
    try {
      await assertProtected(ctx, { resource: running.resource });
      await assertStepUp(ctx, running.resource);
    } finally {
      await running.stop();
    }
  },
};
