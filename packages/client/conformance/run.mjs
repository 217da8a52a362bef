#!/usr/bin/env node
// Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`, pinned in
// ./package.json with the Node 22 it needs) against ./client.ts.
//
// - The runner needs Node >= 22: it runs on node_modules/.bin/node of this folder (npm
//   package `node@22`), installed with `npm ci` from ./package-lock.json (npm registry only).
// - Our client runs on the default Node (20): compiled once with tsc, because 14 scenarios
//   start it in parallel under a 30 s limit and per-process tsx transpiling is too slow on
//   small CI machines.
// - Passes only when every check passes with zero failures and zero warnings.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const node22 = join(here, 'node_modules', '.bin', 'node');
const runnerJs = join(
  here,
  'node_modules',
  '@modelcontextprotocol',
  'conformance',
  'dist',
  'index.js',
);
const out = join(pkg, '.conformance');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r;
}

if (!existsSync(node22) || !existsSync(runnerJs)) {
  const r = run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const version = spawnSync(node22, ['--version'], { encoding: 'utf8' }).stdout.trim();
if (!version.startsWith('v22.')) {
  console.error(`conformance: expected Node 22 at ${node22}, got ${version || 'nothing'}`);
  process.exit(1);
}

// Compile the client command (needs dist of @prmkit/client and @prmkit/core: `pnpm build` first).
rmSync(join(out, 'build'), { recursive: true, force: true });
const tsc = run('pnpm', ['exec', 'tsc', '-p', 'conformance/tsconfig.json'], { cwd: pkg });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
const clientJs = join(out, 'build', 'conformance', 'client.js');
// The runner splits --command on spaces.
if (/\s/.test(process.execPath + clientJs)) {
  console.error('conformance: paths with spaces are not supported by the runner');
  process.exit(1);
}
const command = `${process.execPath} ${clientJs}`;

const jobs = [
  ['--suite', 'auth'],
  // Beyond the auth suite, where this runner version has them.
  ['--scenario', 'auth/resource-mismatch'],
  ['--scenario', 'auth/offline-access-scope'],
  ['--scenario', 'auth/offline-access-not-supported'],
  ['--scenario', 'auth/client-credentials-basic'],
  ['--scenario', 'auth/client-credentials-jwt'],
];
const listed = spawnSync(node22, [runnerJs, 'list'], { encoding: 'utf8' }).stdout;
for (const name of [
  'auth/metadata-issuer-mismatch',
  ...[...listed.matchAll(/auth\/iss-[\w-]+/g)].map((m) => m[0]),
]) {
  if (listed.includes(name) && !jobs.some((j) => j[1] === name)) jobs.push(['--scenario', name]);
}

mkdirSync(out, { recursive: true });
let failed = 0;
for (const job of jobs) {
  const r = spawnSync(
    node22,
    [runnerJs, 'client', ...job, '--command', command, '-o', join(out, 'results')],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 300_000,
    },
  );
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const totals =
    [...text.matchAll(/(\d+) passed, (\d+) failed, (\d+) warnings/g)].at(-1) ??
    [...text.matchAll(/Passed: (\d+)\/\d+, (\d+) failed, (\d+) warnings/g)].at(-1);
  const ok = r.status === 0 && totals !== undefined && totals[2] === '0' && totals[3] === '0';
  console.log(
    `${ok ? 'PASS' : 'FAIL'} ${job.join(' ')}: ${totals ? `${totals[1]} passed, ${totals[2]} failed, ${totals[3]} warnings` : 'no result'}`,
  );
  if (!ok) {
    failed += 1;
    console.log(
      text
        .split('\n')
        .filter((l) => /FAILURE|WARNING|timed out|Error/.test(l))
        .slice(0, 40)
        .join('\n'),
    );
  }
}
console.log(
  failed === 0
    ? 'conformance: all passed'
    : `conformance: ${failed} job(s) failed (details in ${join(out, 'results')})`,
);
process.exit(failed === 0 ? 0 : 1);
