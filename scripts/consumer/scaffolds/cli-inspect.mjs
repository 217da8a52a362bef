// `npx prmkit inspect` (from the @prmkit/cli tarball) against a server made from the
// Express README quick start: exit 0 without a token (challenge, metadata, authorization
// server checks) and with a real token (the authorized initialize POST). @prmkit/redis (both
// entries; its optional peer @prmkit/client is installed here) is
// installed alongside and imported, so every public tarball is installed by some scaffold.
import {
  assertProtected,
  npmInstall,
  prmkitDependencies,
  run,
  StepError,
  writeFiles,
} from '../harness.mjs';
import { expressServerSource, startQuickStart } from '../express-app.mjs';

export default {
  name: 'cli-inspect',
  timeoutMs: 240_000,
  async run(ctx, dir) {
    const { dependencies, overrides } = prmkitDependencies(ctx, [
      '@prmkit/core',
      '@prmkit/express',
      '@prmkit/client',
      '@prmkit/cli',
      '@prmkit/redis',
    ]);
    await writeFiles(dir, {
      'package.json': {
        name: 'consumer-cli',
        private: true,
        type: 'module',
        dependencies,
        overrides,
      },
      'server.js': expressServerSource('esm'),
      'redis-import.js':
        "const redis = await import('@prmkit/redis');\nif (typeof redis.createRedisStore !== 'function') throw new Error('@prmkit/redis: no createRedisStore');\n" +
        "const credentials = await import('@prmkit/redis/credentials');\nif (typeof credentials.createRedisCredentialStore !== 'function') throw new Error('@prmkit/redis/credentials: no createRedisCredentialStore');\n",
    });
    await npmInstall(ctx, dir, ['express@5']);
    await run('node', ['redis-import.js'], { cwd: dir, log: ctx.log, timeoutMs: 30_000 });
    const server = await startQuickStart(ctx, dir, 'server.js');
    try {
      await assertProtected(ctx, { resource: server.resource });
      const inspect = (...extra) =>
        run('npx', ['prmkit', 'inspect', server.resource, '--allow-http-loopback', ...extra], {
          cwd: dir,
          env: ctx.npmEnv,
          log: ctx.log,
          timeoutMs: 60_000,
        });
      const plain = await inspect();
      if (!/PASS/.test(plain.output) || /\bFAIL\b/.test(plain.output))
        throw new StepError('prmkit inspect printed no PASS or a FAIL', plain.output);
      const token = await ctx.token(server.resource);
      const withToken = await inspect('--token', token);
      if (/\bFAIL\b/.test(withToken.output))
        throw new StepError('prmkit inspect --token: FAIL', withToken.output);
    } finally {
      await server.stop();
    }
    // The documented trailing-slash mistake (core README): resource ".../mcp/" while clients
    // call ".../mcp". The server starts; inspect must fail it, naming the resource check.
    const slash = await startQuickStart(ctx, dir, 'server.js', [], { path: '/mcp/' });
    try {
      const url = slash.resource.slice(0, -1);
      const { code, output } = await run(
        'npx',
        ['prmkit', 'inspect', url, '--allow-http-loopback'],
        {
          cwd: dir,
          env: ctx.npmEnv,
          log: ctx.log,
          timeoutMs: 60_000,
          check: false,
        },
      );
      if (code === 0 || !/FAIL.*resource/i.test(output))
        throw new StepError(
          `inspect of a trailing-slash resource: exit ${code}, expected a resource FAIL`,
          output,
        );
    } finally {
      await slash.stop();
    }
    return 'prmkit inspect exits 0 with and without --token, and fails a trailing-slash resource';
  },
};
