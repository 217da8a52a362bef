// NestJS 11 scaffold (`npx @nestjs/cli@11 new`: CommonJS, Jest 30 + ts-jest): the README
// quick start added, `npm run build`, served by node dist/main, and the scaffold's own
// `npm run test:e2e` passing with the Jest configuration the README documents.
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

// packages/nestjs/README.md "Jest (CommonJS projects)": transform the ES modules of
// @prmkit/* and jose with ts-jest, which needs allowJs for them.
export const jestEsmSettings = {
  transform: { '^.+\\.(t|j)s$': ['ts-jest', { tsconfig: { allowJs: true } }] },
  transformIgnorePatterns: ['/node_modules/(?!(@prmkit|jose)/)'],
};

export default {
  name: 'nest11',
  timeoutMs: 480_000,
  async run(ctx, dir) {
    await run(
      'npx',
      [
        '-y',
        '@nestjs/cli@11',
        'new',
        'app',
        '--skip-git',
        '--skip-install',
        '--package-manager',
        'npm',
      ],
      {
        cwd: dir,
        env: ctx.npmEnv,
        log: ctx.log,
      },
    );
    const app = join(dir, 'app');
    const pkg = await readJson(join(app, 'package.json'));
    const { dependencies, overrides } = prmkitDependencies(ctx, ['@prmkit/core', '@prmkit/nestjs']);
    const jestE2e = await readJson(join(app, 'test/jest-e2e.json'));
    await writeFiles(app, {
      'package.json': { ...pkg, dependencies: { ...pkg.dependencies, ...dependencies }, overrides },
      'test/jest-e2e.json': { ...jestE2e, ...jestEsmSettings },
      ...nestSources(''),
    });
    await listenOnLoopback(app);
    await keepHelloPublic(app);
    await npmInstall(ctx, app, [], 420_000);
    await run('npm', ['run', 'build'], { cwd: app, env: ctx.npmEnv, log: ctx.log });
    const server = await startQuickStart(ctx, app, 'dist/main.js');
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
    return 'build, node dist/main and npm run test:e2e (Jest) pass';
  },
};
