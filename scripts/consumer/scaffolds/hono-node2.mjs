// Hono 4 on @hono/node-server 2.x, TypeScript (ESM, nodenext): the README quick start
// with the Node serving lines and the local settings, compiled by tsc, run by node.
import {
  assertProtected,
  npmInstall,
  prmkitDependencies,
  run,
  StepError,
  writeFiles,
} from '../harness.mjs';
import { assertStepUp, startQuickStart } from '../express-app.mjs';
import { honoServerSource, honoTsconfig } from '../hono-app.mjs';

export default {
  name: 'hono-node2',
  timeoutMs: 300_000,
  async run(ctx, dir) {
    const { dependencies, overrides } = prmkitDependencies(ctx, ['@prmkit/core', '@prmkit/hono']);
    await writeFiles(dir, {
      'package.json': {
        name: 'consumer-hono2',
        private: true,
        type: 'module',
        dependencies,
        overrides,
      },
      'tsconfig.json': honoTsconfig,
      'server.ts': honoServerSource,
    });
    await npmInstall(ctx, dir, ['hono@4', '@hono/node-server@2', '@types/node', 'typescript']);
    await run('npx', ['tsc', '-p', '.'], { cwd: dir, env: ctx.npmEnv, log: ctx.log });
    // The published types refuse c.get('auth').subject on a route without requireAuth().
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
    const running = await startQuickStart(ctx, dir, 'server.js');
    try {
      await assertProtected(ctx, { resource: running.resource });
      await assertStepUp(ctx, running.resource);
    } finally {
      await running.stop();
    }
  },
};
