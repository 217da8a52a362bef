// Express 5, plain JavaScript ESM: the README quick start, installed from the tarballs, and
// the token of the READMEs' local recipe (apps/authorization-server/dist/local-token.js).
import { join } from 'node:path';
import { assertProtected, npmInstall, prmkitDependencies, run, writeFiles } from '../harness.mjs';
import { assertStepUp, expressServerSource, startQuickStart } from '../express-app.mjs';

export default {
  name: 'express5-js',
  timeoutMs: 240_000,
  async run(ctx, dir) {
    const { dependencies, overrides } = prmkitDependencies(ctx, [
      '@prmkit/core',
      '@prmkit/express',
    ]);
    await writeFiles(dir, {
      'package.json': {
        name: 'consumer-express5',
        private: true,
        type: 'module',
        dependencies,
        overrides,
      },
      'server.js': expressServerSource('esm'),
    });
    await npmInstall(ctx, dir, ['express@5']);
    const server = await startQuickStart(ctx, dir, 'server.js');
    try {
      // The READMEs' "Get a 200 locally" recipe takes its token from local-token.js.
      const localToken = async (resource, scope) => {
        const script = join(ctx.repoRoot, 'apps/authorization-server/dist/local-token.js');
        const { output } = await run('node', [script, resource, scope, ctx.as.issuer], {
          log: ctx.log,
        });
        return output.trim();
      };
      await assertProtected({ ...ctx, token: localToken }, { resource: server.resource });
      await assertStepUp(ctx, server.resource);
    } finally {
      await server.stop();
    }
  },
};
