// Express 5 in TypeScript with today's `tsc --init` defaults (module nodenext, strict,
// exactOptionalPropertyTypes, verbatimModuleSyntax, types: []), compiled by tsc, run by node.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertProtected, npmInstall, prmkitDependencies, run, writeFiles } from '../harness.mjs';
import { assertStepUp, expressServerSource, startQuickStart } from '../express-app.mjs';

export default {
  name: 'express-ts-nodenext',
  timeoutMs: 300_000,
  async run(ctx, dir) {
    const { dependencies, overrides } = prmkitDependencies(ctx, [
      '@prmkit/core',
      '@prmkit/express',
    ]);
    await writeFiles(dir, {
      // "type": "module": with verbatimModuleSyntax, a .ts file of a CommonJS package may not
      // use import syntax (TS1286), so an ESM project is what `tsc --init` leads to.
      'package.json': {
        name: 'consumer-express-ts',
        private: true,
        type: 'module',
        dependencies,
        overrides,
      },
      'server.ts': expressServerSource('ts'),
    });
    await npmInstall(ctx, dir, ['express@5', '@types/express', '@types/node', 'typescript']);
    await run('npx', ['tsc', '--init'], { cwd: dir, env: ctx.npmEnv, log: ctx.log });
    // The one edit a Node project makes to the generated file: the Node globals (process).
    const tsconfig = join(dir, 'tsconfig.json');
    const text = await readFile(tsconfig, 'utf8');
    if (!/"types": \[\]/.test(text))
      throw new Error(`tsc --init no longer writes "types": []:\n${text}`);
    await writeFile(tsconfig, text.replace('"types": []', '"types": ["node"]'));
    const { output: version } = await run('npx', ['tsc', '--version'], {
      cwd: dir,
      env: ctx.npmEnv,
    });
    await run('npx', ['tsc', '-p', '.'], { cwd: dir, env: ctx.npmEnv, log: ctx.log });
    const server = await startQuickStart(ctx, dir, 'server.js');
    try {
      await assertProtected(ctx, { resource: server.resource });
      await assertStepUp(ctx, server.resource);
    } finally {
      await server.stop();
    }
    return `tsc ${/Version (\S+)/.exec(version)?.[1] ?? version.trim()}`;
  },
};
