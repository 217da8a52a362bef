#!/usr/bin/env node
// Every entry of every workspace package leads with the `@prmkit/source` export condition,
// pointing at a source file that exists (tests and typechecks resolve workspace packages
// through it; see vitest.shared.ts), and a published package ships that source.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root, workspacePackages } from './workspace.mjs';

const CONDITION = '@prmkit/source';
const problems = [];
let entries = 0;
for (const pkg of workspacePackages()) {
  for (const [subpath, target] of Object.entries(pkg.json.exports ?? {})) {
    if (subpath === './package.json') continue;
    entries += 1;
    const where = `${pkg.dir}/package.json exports["${subpath}"]`;
    if (typeof target !== 'object' || target === null) {
      problems.push(`${where}: a string; use { "${CONDITION}": "./src/….ts", types, default }`);
      continue;
    }
    const [first] = Object.keys(target);
    const source = target[CONDITION];
    if (first !== CONDITION) problems.push(`${where}: "${CONDITION}" is not the first condition`);
    if (typeof source !== 'string' || !/^\.\/src\/.+\.ts$/.test(source)) {
      problems.push(`${where}: "${CONDITION}" must be a ./src/….ts file`);
    } else if (!existsSync(join(root, pkg.dir, source))) {
      problems.push(`${where}: ${source} does not exist`);
    }
  }
  if (!pkg.private && !(pkg.json.files ?? []).includes('src')) {
    problems.push(`${pkg.dir}/package.json: "files" must include src (the ${CONDITION} targets)`);
  }
}
if (problems.length > 0) {
  console.error(`exports: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`exports: ${entries} entries lead with "${CONDITION}".`);
