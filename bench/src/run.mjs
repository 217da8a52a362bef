// `pnpm bench`: every case of issue 7 against real servers on 127.0.0.1, one process per
// server, autocannon in this process. Flags:
//   --quick            1 s per case, small token pool: a smoke test (writes bench/results/quick.*)
//   --duration <s>     measured seconds per case (default 5); --warmup <s> (default 1)
//   --connections <n>  default 32
//   --only <text>      run only cases whose id contains <text> (repeatable)
//   --profile          run servers with --cpu-prof; profiles land in bench/profiles/
//   --no-write         do not update BENCHMARKS.md
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestIssuer } from '@prmkit/testing';
import { allCases } from './cases.mjs';
import { load } from './load.mjs';
import { describeMachine, describeVersions } from './machine.mjs';
import { renderResults, writeResults } from './report.mjs';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const { values: flags } = parseArgs({
  // `pnpm bench -- --quick` forwards the `--` itself: drop it.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string', multiple: true },
    profile: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});

const settings = {
  duration: Number(flags.duration ?? (flags.quick ? 1 : 5)),
  warmup: Number(flags.warmup ?? (flags.quick ? 0.5 : 1)),
  connections: Number(flags.connections),
  pool: flags.quick ? 512 : 4096,
};
const cacheEntries = settings.pool / 4;
const BUDGET_SECONDS = 290; // the whole run stays under 5 minutes
const started = Date.now();
const RESOURCE = 'http://127.0.0.1:8080/mcp';

const cases = allCases().filter((c) => !flags.only || flags.only.some((o) => c.id.includes(o)));
console.log(
  `prmkit bench: ${cases.length} cases, ${settings.warmup}+${settings.duration} s each, ${settings.connections} connections`,
);

const issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools' });
// One token for the "reused" cases; a pool larger than the cache for the "rotating" ones.
const reused = await issuer.mint();
const pool = [];
for (let i = 0; i < settings.pool; i += 64) {
  pool.push(
    ...(await Promise.all(
      Array.from({ length: Math.min(64, settings.pool - i) }, () => issuer.mint()),
    )),
  );
}
console.log(
  `minted ${pool.length + 1} RS256 tokens in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

const probe = await fetch(`${issuer.origin}/.well-known/oauth-authorization-server`);
const staticMetadata = {
  resource: RESOURCE,
  authorization_servers: [issuer.issuer],
  scopes_supported: ['mcp:tools'],
  bearer_methods_supported: ['header'],
};
await probe.arrayBuffer();

/** Starts one server process and resolves with its port and a stop function. */
async function startServer(c) {
  const env = {
    framework: c.framework,
    variant: c.variant,
    issuer: issuer.issuer,
    jwksUri: issuer.jwksUri,
    resource: RESOURCE,
    cacheEntries,
    staticMetadata,
  };
  const profileArgs = flags.profile
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${benchDir}profiles`,
        `--cpu-prof-name=${c.id.replace('/', '-')}.cpuprofile`,
      ]
    : [];
  const child = spawn(
    process.execPath,
    [
      ...profileArgs,
      fileURLToPath(new URL('./server-child.mjs', import.meta.url)),
      JSON.stringify(env),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: benchDir,
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = globalThis.setTimeout(
      () => reject(new Error('server did not start within 20 s')),
      20_000,
    );
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line).port);
        } catch (error) {
          reject(error);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}`));
    });
  });
  const stop = async () => {
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!done) child.kill('SIGKILL');
  };
  return { port, stop };
}

/** One request with the case's first token: the case must answer 200 before it is measured. */
async function check(url, token) {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = await res.text();
  if (res.status === 200) return undefined;
  const challenge = res.headers.get('www-authenticate');
  return `answered ${res.status}${challenge ? ` (${challenge})` : ''}: ${body.slice(0, 160)}`;
}

const results = [];
for (const c of cases) {
  const elapsed = (Date.now() - started) / 1000;
  if (elapsed + settings.warmup + settings.duration + 3 > BUDGET_SECONDS) {
    results.push({ ...c, ok: false, reason: 'skipped: 5-minute budget spent' });
    continue;
  }
  let server;
  try {
    server = await startServer(c);
    const url = `http://127.0.0.1:${server.port}${c.path}`;
    let next = 0;
    const nextToken = () => pool[next++ % pool.length];
    const problem = await check(url, c.tokens === 'rotating' ? nextToken() : reused);
    if (problem) {
      results.push({ ...c, ok: false, reason: problem.replaceAll('|', '\\|') });
      console.log(`${c.id.padEnd(28)} not measured: ${problem}`);
      continue;
    }
    const target = c.tokens === 'rotating' ? { nextToken } : { token: reused };
    if (settings.warmup > 0)
      await load({ url, connections: settings.connections, duration: settings.warmup, ...target });
    const r = await load({
      url,
      connections: settings.connections,
      duration: settings.duration,
      ...target,
    });
    results.push({ ...c, ok: true, ...r });
    console.log(
      `${c.id.padEnd(28)} ${r.rps.toFixed(0).padStart(7)} req/s  p99 ${String(r.p99).padStart(4)} ms  non2xx ${r.non2xx}  errors ${r.errors}`,
    );
  } catch (error) {
    results.push({ ...c, ok: false, reason: String(error?.message ?? error) });
    console.log(`${c.id.padEnd(28)} failed: ${error?.message ?? error}`);
  } finally {
    await server?.stop();
  }
}
await issuer.close();

const run = {
  startedAt: new Date(started).toISOString(),
  elapsedSeconds: (Date.now() - started) / 1000,
  machine: describeMachine(),
  versions: describeVersions(),
  settings: { ...settings, 'prmkit tokenCache.maxEntries in (c)': cacheEntries },
  results,
};
const markdown = renderResults(run);
mkdirSync(`${benchDir}results`, { recursive: true });
const name = flags.quick ? 'quick' : 'latest';
writeFileSync(`${benchDir}results/${name}.json`, `${JSON.stringify(run, null, 2)}\n`);
writeFileSync(`${benchDir}results/${name}.md`, `${markdown}\n`);
if (!flags.quick && !flags['no-write'] && !flags.only)
  writeResults(`${repoRoot}BENCHMARKS.md`, markdown);
console.log(`\n${markdown}\n\ndone in ${run.elapsedSeconds.toFixed(0)} s`);
