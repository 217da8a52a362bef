// Hono 4 on @hono/node-server 1.x, TypeScript (ESM, nodenext): the README quick start
// with the Node serving lines and the local settings, compiled by tsc, run by node.
import { assertProtected, npmInstall, prmkitDependencies, run, writeFiles } from '../harness.mjs';
import { assertStepUp, startQuickStart } from '../express-app.mjs';
import { honoServerSource, honoTsconfig } from '../hono-app.mjs';

export default {
  name: 'hono-node1',
  timeoutMs: 300_000,
  async run(ctx, dir) {
    const { dependencies, overrides } = prmkitDependencies(ctx, ['@prmkit/core', '@prmkit/hono']);
    await writeFiles(dir, {
      'package.json': {
        name: 'consumer-hono1',
        private: true,
        type: 'module',
        dependencies,
        overrides,
      },
      'tsconfig.json': honoTsconfig,
      'server.ts': honoServerSource,
    });
    await npmInstall(ctx, dir, ['hono@4', '@hono/node-server@1', '@types/node', 'typescript']);
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
