// Express 4, plain JavaScript ESM: the README quick start, installed from the tarballs.
import { assertProtected, npmInstall, prmkitDependencies, writeFiles } from '../harness.mjs';
import { assertStepUp, expressServerSource, startQuickStart } from '../express-app.mjs';

export default {
  name: 'express4-js',
  timeoutMs: 240_000,
  async run(ctx, dir) {
    const { dependencies, overrides } = prmkitDependencies(ctx, [
      '@prmkit/core',
      '@prmkit/express',
    ]);
    await writeFiles(dir, {
      'package.json': {
        name: 'consumer-express4',
        private: true,
        type: 'module',
        dependencies,
        overrides,
      },
      'server.js': expressServerSource('esm'),
    });
    await npmInstall(ctx, dir, ['express@4']);
    const server = await startQuickStart(ctx, dir, 'server.js');
    try {
      await assertProtected(ctx, { resource: server.resource });
      await assertStepUp(ctx, server.resource);
    } finally {
      await server.stop();
    }
  },
};
