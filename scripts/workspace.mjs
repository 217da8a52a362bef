// The workspace's packages, read from pnpm-workspace.yaml and each package.json, so no
// script keeps its own list: a new package is checked the day it is added.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The `packages:` globs of pnpm-workspace.yaml (`dir/*` or a plain folder). */
function workspaceGlobs() {
  const globs = [];
  let inPackages = false;
  for (const line of readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').split(/\r?\n/)) {
    if (/^\S/.test(line)) inPackages = /^packages:\s*$/.test(line);
    else if (inPackages) {
      const m = /^\s+-\s+['"]?([^'"#\s]+)['"]?/.exec(line);
      if (m) globs.push(m[1]);
    }
  }
  if (globs.length === 0) throw new Error('pnpm-workspace.yaml lists no packages');
  return globs;
}

/**
 * Every workspace package: `{ dir, name, private, json }`, `dir` relative to the root with
 * `/` separators, sorted by dir.
 */
export function workspacePackages() {
  const dirs = workspaceGlobs().flatMap((glob) => {
    if (glob.includes('*') && !glob.endsWith('/*')) {
      throw new Error(`pnpm-workspace.yaml: unsupported glob ${glob}`);
    }
    if (!glob.endsWith('/*')) return [glob];
    const parent = glob.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `${parent}/${d.name}`);
  });
  return dirs
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .sort()
    .map((dir) => {
      const json = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
      return { dir, name: json.name, private: json.private === true, json };
    });
}

/** The packages published to npm (not `private`). */
export const publishedPackages = () => workspacePackages().filter((p) => !p.private);

/**
 * The source file of every entry point of a package (`dir`-relative), from its `exports`:
 * the `@prmkit/source` condition and every `./dist/….js` target mapped to `./src/….ts`
 * (so a runtime-specific entry such as hono's `node` counts too).
 */
export function entrySources(pkg) {
  const files = new Set();
  const visit = (target) => {
    if (typeof target === 'string') {
      if (target.startsWith('./src/') && target.endsWith('.ts')) files.add(target.slice(2));
      else if (target.startsWith('./dist/') && target.endsWith('.js') && !target.endsWith('.d.js'))
        files.add(
          target
            .slice(2)
            .replace(/^dist\//, 'src/')
            .replace(/\.js$/, '.ts'),
        );
    } else if (target && typeof target === 'object') {
      for (const [condition, value] of Object.entries(target)) {
        if (condition !== 'types') visit(value);
      }
    }
  };
  for (const [subpath, target] of Object.entries(pkg.json.exports ?? {})) {
    if (subpath !== './package.json') visit(target);
  }
  return [...files].sort();
}
