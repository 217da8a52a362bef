// Express 5 in a CommonJS TypeScript project (no "type" in package.json), TypeScript 5.9:
// - `module: commonjs` compiles (top-level "types"/"typesVersions" serve the node10
//   resolution) and runs on Node >= 20.19 (require of an ES module);
// - `module: nodenext` compiles too (TypeScript >= 5.8 allows require of ESM there);
// - `module: node16`, and `nodenext` on TypeScript 5.7, fail with TS1479, the documented
//   limit (core README "Supported setups").
import {
  assertProtected,
  npmInstall,
  prmkitDependencies,
  run,
  StepError,
  writeFiles,
} from '../harness.mjs';
import { expressServerSource, startQuickStart } from '../express-app.mjs';

const tsconfig = (module, outDir) => ({
  compilerOptions: {
    module,
    target: 'es2022',
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    outDir,
    types: ['node'],
  },
  files: ['server.ts'],
});

export default {
  name: 'express-ts-commonjs',
  timeoutMs: 300_000,
  async run(ctx, dir) {
    const { dependencies, overrides } = prmkitDependencies(ctx, [
      '@prmkit/core',
      '@prmkit/express',
    ]);
    await writeFiles(dir, {
      'package.json': { name: 'consumer-express-cjs', private: true, dependencies, overrides },
      'server.ts': expressServerSource('ts'),
      'tsconfig.commonjs.json': tsconfig('commonjs', 'out-commonjs'),
      'tsconfig.nodenext.json': tsconfig('nodenext', 'out-nodenext'),
      'tsconfig.node16.json': tsconfig('node16', 'out-node16'),
    });
    await npmInstall(ctx, dir, ['express@5', '@types/express', '@types/node', 'typescript@~5.9.0']);
    const tsc = (project, check = true) =>
      run('npx', ['tsc', '-p', project], { cwd: dir, env: ctx.npmEnv, log: ctx.log, check });
    await tsc('tsconfig.commonjs.json');
    await tsc('tsconfig.nodenext.json');
    const node16 = await tsc('tsconfig.node16.json', false);
    if (node16.code === 0 || !node16.output.includes('TS1479'))
      throw new StepError(
        `module node16: expected the documented TS1479, got exit ${node16.code}`,
        node16.output,
      );
    // nodenext on TypeScript <= 5.7 (no require of ESM yet): TS1479 too, as documented.
    const old = await run(
      'npx',
      ['-y', '-p', 'typescript@5.7', 'tsc', '-p', 'tsconfig.nodenext.json'],
      {
        cwd: dir,
        env: ctx.npmEnv,
        log: ctx.log,
        check: false,
      },
    );
    if (old.code === 0 || !old.output.includes('TS1479'))
      throw new StepError(
        `nodenext on TypeScript 5.7: expected TS1479, got exit ${old.code}`,
        old.output,
      );
    for (const out of ['out-commonjs', 'out-nodenext']) {
      const server = await startQuickStart(ctx, dir, `${out}/server.js`);
      try {
        await assertProtected(ctx, { resource: server.resource });
      } finally {
        await server.stop();
      }
    }
    return 'commonjs and nodenext compile and answer 401/200; node16 (and nodenext on TS 5.7) fail with TS1479 as documented';
  },
};
