#!/usr/bin/env node
// Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`) against
// ./client.ts, with two pinned runners:
//
// - ./package.json: 0.1.16, the current release (`latest`): `--suite auth` plus the draft
//   and extension auth scenarios it has.
// - ./next/package.json: 0.2.0-alpha.12, the pre-release that adds the 2026-07-28 auth
//   scenarios (RFC 9207 iss-*, metadata-issuer-mismatch, authorization-server-migration)
//   and the DPoP extension scenarios (auth/dpop, auth/dpop-nonce; 0.1.16 has none).
//   These scenarios mock a 2026-07-28 (stateless) MCP server; client.ts pins the SDK to that
//   era when the runner sets MCP_CONFORMANCE_PROTOCOL_VERSION.
//
// - Each runner needs Node >= 22: it runs on node_modules/.bin/node of its folder (npm
//   package `node@22`), installed with `npm ci` from its package-lock.json (npm registry only).
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
const out = join(pkg, '.conformance');

/** The scenarios both runners have that are not in `--suite auth`. */
const draftAndExtensionJobs = [
  ['--scenario', 'auth/resource-mismatch'],
  ['--scenario', 'auth/offline-access-scope'],
  ['--scenario', 'auth/offline-access-not-supported'],
  ['--scenario', 'auth/client-credentials-basic'],
  ['--scenario', 'auth/client-credentials-jwt'],
];

const runners = [
  { name: '0.1.16', dir: here, jobs: [['--suite', 'auth'], ...draftAndExtensionJobs] },
  {
    name: '0.2.0-alpha.12',
    dir: join(here, 'next'),
    jobs: [
      // Same 14 scenarios, newer checks.
      ['--suite', 'auth'],
      // 2026-07-28 era: PRM resource, offline_access and client credentials again, then the
      // scenarios 0.1.16 does not have. The negative ones (resource-mismatch, iss-wrong-issuer,
      // iss-unexpected, iss-supported-missing, iss-normalized, metadata-issuer-mismatch) set
      // allowClientError: our client exits 1 on purpose and the checks judge that it stopped
      // before the token request (iss) or before using the metadata's endpoints.
      ...draftAndExtensionJobs,
      ['--scenario', 'auth/iss-supported'],
      ['--scenario', 'auth/iss-not-advertised'],
      ['--scenario', 'auth/iss-supported-missing'],
      ['--scenario', 'auth/iss-wrong-issuer'],
      ['--scenario', 'auth/iss-unexpected'],
      ['--scenario', 'auth/iss-normalized'],
      ['--scenario', 'auth/metadata-issuer-mismatch'],
      ['--scenario', 'auth/authorization-server-migration'],
      // DPoP (RFC 9449, SEP-1932): a DPoP-bound token and a fresh proof per request; with
      // nonces required by both the AS and the MCP server in the second.
      ['--scenario', 'auth/dpop'],
      ['--scenario', 'auth/dpop-nonce'],
      // Left out, outside this client's scope:
      // - auth/2025-03-26-oauth-metadata-backcompat, auth/2025-03-26-oauth-endpoint-fallback:
      //   the 2025-03-26 fallback to a guessed AS at the server origin; @prmkit/client never
      //   guesses a server (RFC 9728 §3.3, MCP 2025-06-18 and later).
      // - auth/enterprise-managed-authorization (ID-JAG token exchange) and auth/wif-jwt-bearer
      //   (workload identity JWT bearer grant): extensions with grants the client does not offer.
    ],
  },
];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r;
}

function paths(dir) {
  return {
    node22: join(dir, 'node_modules', '.bin', 'node'),
    runnerJs: join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js'),
  };
}

for (const runner of runners) {
  const { node22, runnerJs } = paths(runner.dir);
  if (!existsSync(node22) || !existsSync(runnerJs)) {
    const r = run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: runner.dir });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const version = spawnSync(node22, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!version.startsWith('v22.')) {
    console.error(`conformance: expected Node 22 at ${node22}, got ${version || 'nothing'}`);
    process.exit(1);
  }
  // The versions are pinned: a scenario missing from `list` is a setup error, not a skip.
  const listed = spawnSync(node22, [runnerJs, 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const [flag, name] of runner.jobs) {
    if (flag === '--scenario' && !listed.includes(`- ${name} `)) {
      console.error(`conformance: runner ${runner.name} has no scenario ${name}`);
      process.exit(1);
    }
  }
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

mkdirSync(out, { recursive: true });
rmSync(join(out, 'results'), { recursive: true, force: true });
let failed = 0;
for (const runner of runners) {
  const { node22, runnerJs } = paths(runner.dir);
  for (const job of runner.jobs) {
    const r = spawnSync(
      node22,
      [runnerJs, 'client', ...job, '--command', command, '-o', join(out, 'results', runner.name)],
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
      `${ok ? 'PASS' : 'FAIL'} [${runner.name}] ${job.join(' ')}: ${totals ? `${totals[1]} passed, ${totals[2]} failed, ${totals[3]} warnings` : 'no result'}`,
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
}
console.log(
  failed === 0
    ? 'conformance: all passed'
    : `conformance: ${failed} job(s) failed (details in ${join(out, 'results')})`,
);
process.exit(failed === 0 ? 0 : 1);
