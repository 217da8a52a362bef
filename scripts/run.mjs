#!/usr/bin/env node
// Entry for the README's Quick start: works on a machine that has only Node.js and npm.
// It finds pnpm (or runs the pinned one through npx), installs the workspace when needed,
// then runs one job: `demo`, `test` or `bench`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager;
const [job, ...rest] = process.argv.slice(2);

// No telemetry calls from a closed network (turbo would otherwise try to phone home).
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

function run(cmd, args, { allowFail = false } = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (result.error) throw result.error;
  if (result.status !== 0 && !allowFail) process.exit(result.status ?? 1);
  return result.status ?? 1;
}

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().startsWith('10.')) return ['pnpm', []];
  // No (compatible) pnpm on PATH: use the pinned one from the registry, nothing global.
  return ['npx', ['--yes', pinned]];
}

const [pnpm, pre] = pnpmCommand();
const p = (...args) => run(pnpm, [...pre, ...args]);

function installIfNeeded() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
    p('install', '--frozen-lockfile');
  }
}

installIfNeeded();

switch (job) {
  case 'demo':
    p('exec', 'turbo', 'run', 'build', '--filter=@prmkit/demo...', '--output-logs=errors-only');
    p('--filter', '@prmkit/demo', 'start', ...(rest.length ? ['--', ...rest] : []));
    break;
  case 'test':
    p('exec', 'turbo', 'run', 'build', 'typecheck', 'check:packaging', '--output-logs=errors-only');
    p('run', 'check:docs');
    p('exec', 'eslint', '.');
    p('run', 'lint:deps');
    p('exec', 'prettier', '--check', '.', '--log-level', 'warn');
    p('exec', 'vitest', 'run', ...rest);
    break;
  case 'bench':
    p('exec', 'turbo', 'run', 'build', '--output-logs=errors-only');
    p('--filter', '@prmkit/bench', 'start', ...rest);
    break;
  default:
    console.error(`usage: node scripts/run.mjs <demo|test|bench> [args]`);
    process.exit(2);
}
