// NestJS 12 scaffold (today's `npx @nestjs/cli new`: ESM, vitest, TypeScript 6), installed
// with plain npm and no --legacy-peer-deps: the README quick start added, `npm run build`,
// served by node, and the scaffold's own `npm run test:e2e` (vitest) passing.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertProtected,
  npmInstall,
  prmkitDependencies,
  readJson,
  run,
  writeFiles,
} from '../harness.mjs';
import { startQuickStart } from '../express-app.mjs';
import { keepHelloPublic, listenOnLoopback, nestSources } from '../nest-app.mjs';

const exists = (file) =>
  access(file).then(
    () => true,
    () => false,
  );

export default {
  name: 'nest12',
  timeoutMs: 480_000,
  async run(ctx, dir) {
    await run(
      'npx',
      [
        '-y',
        '@nestjs/cli@latest',
        'new',
        'app',
        '--skip-git',
        '--skip-install',
        '--package-manager',
        'npm',
        '--no-observe',
      ],
      { cwd: dir, env: ctx.npmEnv, log: ctx.log },
    );
    const app = join(dir, 'app');
    const pkg = await readJson(join(app, 'package.json'));
    const { dependencies, overrides } = prmkitDependencies(ctx, ['@prmkit/core', '@prmkit/nestjs']);
    await writeFiles(app, {
      'package.json': { ...pkg, dependencies: { ...pkg.dependencies, ...dependencies }, overrides },
      ...nestSources('.js'),
    });
    await listenOnLoopback(app);
    await keepHelloPublic(app);
    await npmInstall(ctx, app, [], 420_000);
    await run('npm', ['run', 'build'], { cwd: app, env: ctx.npmEnv, log: ctx.log });
    const main = (await exists(join(app, 'dist/main.js'))) ? 'dist/main.js' : 'dist/src/main.js';
    const server = await startQuickStart(ctx, app, main);
    try {
      await assertProtected(ctx, { resource: server.resource });
      const e2eEnv = {
        ...ctx.npmEnv,
        PRMKIT_RESOURCE: server.resource,
        PRMKIT_ISSUER: ctx.as.issuer,
        PRMKIT_TOKEN: await ctx.token(server.resource),
      };
      await run('npm', ['run', 'test:e2e'], {
        cwd: app,
        env: e2eEnv,
        log: ctx.log,
        timeoutMs: 180_000,
      });
    } finally {
      await server.stop();
    }
    return `@nestjs/common ${(await readJson(join(app, 'node_modules/@nestjs/common/package.json'))).version}: build, node ${main} and npm run test:e2e (vitest) pass`;
  },
};
