// What a Nest user adds to a fresh `nest new` project: the README quick start's
// McpController and PrmkitModule.forRoot in AppModule (local settings from the
// environment), a loopback listen address, and an e2e spec proving 401 and 200.
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startQuickStart } from './express-app.mjs';
import {
  assertProtected,
  npmInstall,
  prmkitDependencies,
  readJson,
  run,
  StepError,
  writeFiles,
} from './harness.mjs';

/** `ext` is the relative-import suffix the scaffold uses: '' (CommonJS) or '.js' (ESM). */
export function nestSources(ext) {
  return {
    'src/mcp.controller.ts': `import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import type { AuthInfo } from '@prmkit/core';
import { Auth, Public, RequireScopes } from '@prmkit/nestjs';

@Controller('mcp')
export class McpController {
  @Post()
  @HttpCode(200)
  handle(@Auth() auth: AuthInfo, @Body() body: unknown) {
    return { subject: auth.subject, scopes: auth.scopes, body };
  }

  @Get('admin')
  @RequireScopes('mcp:admin')
  admin(@Auth('subject') subject: string | undefined) {
    return { admin: subject };
  }

  @Public()
  @Get('health')
  health() {
    return 'ok';
  }
}
`,
    'src/app.module.ts': `import { Module } from '@nestjs/common';
import { PrmkitModule } from '@prmkit/nestjs';
import { AppController } from './app.controller${ext}';
import { AppService } from './app.service${ext}';
import { McpController } from './mcp.controller${ext}';

@Module({
  imports: [
    PrmkitModule.forRoot(
      {
        resource: process.env.PRMKIT_RESOURCE ?? 'http://localhost:3000/mcp',
        authorizationServers: [process.env.PRMKIT_ISSUER ?? 'http://127.0.0.1:9000'],
        scopesSupported: ['mcp:tools', 'mcp:admin'],
        requiredScopes: ['mcp:tools'],
        toolScopes: { admin_stats: ['mcp:admin'] },
        allowHttp: 'loopback',
      },
      { globalGuard: true },
    ),
  ],
  controllers: [AppController, McpController],
  providers: [AppService],
})
export class AppModule {}
`,
    'test/prmkit.e2e-spec.ts': `import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { App } from 'supertest/types${ext}';
import { AppModule } from './../src/app.module${ext}';

const resource = new URL(process.env.PRMKIT_RESOURCE ?? '');
const metadataUrl = \`\${resource.origin}/.well-known/oauth-protected-resource\${resource.pathname}\`;
const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} };

describe('prmkit (e2e)', () => {
  let app: INestApplication<App>;

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();
    app = moduleFixture.createNestApplication();
    await app.init();
  });

  it('POST /mcp without a token: 401 naming the metadata', async () => {
    const res = await request(app.getHttpServer()).post('/mcp').send(initialize).expect(401);
    expect(res.headers['www-authenticate']).toContain(\`resource_metadata="\${metadataUrl}"\`);
  });

  it('serves the protected resource metadata', async () => {
    const res = await request(app.getHttpServer())
      .get('/.well-known/oauth-protected-resource/mcp')
      .expect(200);
    expect(res.body.resource).toBe(resource.href);
  });

  it('POST /mcp with a real token: 200', async () => {
    const res = await request(app.getHttpServer())
      .post('/mcp')
      .set('authorization', \`Bearer \${process.env.PRMKIT_TOKEN}\`)
      .send(initialize)
      .expect(200);
    expect(res.body.scopes).toContain('mcp:tools');
  });

  afterEach(async () => {
    await app.close();
  });
});
`,
  };
}

/**
 * The scaffold's `GET /` stays public (its own e2e spec expects "Hello World!" without a
 * token) with `@Public()`, as a user marks the routes the global guard must not protect.
 */
export async function keepHelloPublic(dir) {
  const file = join(dir, 'src/app.controller.ts');
  const text = await readFile(file, 'utf8');
  const changed = text
    .replace(/^(import .*\n)/, "$1import { Public } from '@prmkit/nestjs';\n")
    .replace(/\n(\s*)@Get\(\)/, '\n$1@Public()\n$1@Get()');
  if (!changed.includes('@Public()\n'))
    throw new StepError(`src/app.controller.ts changed shape:\n${text}`);
  await writeFile(file, changed);
}

/** Listen on loopback only (the scaffold's main.ts listens on every interface). */
export async function listenOnLoopback(dir) {
  const file = join(dir, 'src/main.ts');
  const text = await readFile(file, 'utf8');
  const changed = text.replace(
    'app.listen(process.env.PORT ?? 3000)',
    "app.listen(process.env.PORT ?? 3000, '127.0.0.1')",
  );
  if (changed === text) throw new StepError(`src/main.ts of the scaffold changed shape:\n${text}`);
  await writeFile(file, changed);
}

// packages/nestjs/README.md "Jest (CommonJS projects)": transform the ES modules of
// @prmkit/* and jose with ts-jest, which needs allowJs for them.
export const jestEsmSettings = {
  transform: { '^.+\\.(t|j)s$': ['ts-jest', { tsconfig: { allowJs: true } }] },
  transformIgnorePatterns: ['/node_modules/(?!(@prmkit|jose)/)'],
};

const exists = (file) =>
  access(file).then(
    () => true,
    () => false,
  );

/**
 * A fresh `nest new` project with the README quick start added, installed with plain npm
 * (no --legacy-peer-deps), built, served by node, and its own `npm run test:e2e` passing.
 * `cli` is the @nestjs/cli to scaffold with; `esm` picks the relative-import suffix and the
 * test runner (vitest) of ESM scaffolds, else the README's Jest settings are applied.
 */
export function nestScaffold({ name, cli, esm, newFlags = [] }) {
  return {
    name,
    timeoutMs: 480_000,
    async run(ctx, dir) {
      const flags = ['--skip-git', '--skip-install', '--package-manager', 'npm', ...newFlags];
      await run('npx', ['-y', cli, 'new', 'app', ...flags], {
        cwd: dir,
        env: ctx.npmEnv,
        log: ctx.log,
      });
      const app = join(dir, 'app');
      const pkg = await readJson(join(app, 'package.json'));
      const pkgs = ['@prmkit/core', '@prmkit/nestjs'];
      const { dependencies, overrides } = prmkitDependencies(ctx, pkgs);
      const jest = esm
        ? {}
        : {
            'test/jest-e2e.json': {
              ...(await readJson(join(app, 'test/jest-e2e.json'))),
              ...jestEsmSettings,
            },
          };
      await writeFiles(app, {
        'package.json': {
          ...pkg,
          dependencies: { ...pkg.dependencies, ...dependencies },
          overrides,
        },
        ...jest,
        ...nestSources(esm ? '.js' : ''),
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
      const common = await readJson(join(app, 'node_modules/@nestjs/common/package.json'));
      return `@nestjs/common ${common.version}: build, node ${main} and npm run test:e2e (${esm ? 'vitest' : 'Jest'}) pass`;
    },
  };
}
