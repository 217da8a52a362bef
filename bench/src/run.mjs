// `pnpm bench`: the HTTP cases against real servers on 127.0.0.1 (one process per server,
// autocannon in this process), the hostile-load case, and the in-process micro bench.
// Cases that are compared run interleaved (A B A B …, a round alternating its direction),
// each several times; every ratio is computed within a round, from measurements seconds
// apart, and reported as its median and spread over the rounds. Flags:
//   --quick            one short round of everything: a smoke test (writes bench/results/quick.*)
//   --rounds <n>       rounds per framework (default 4); --duration <s> measured seconds per
//                      case and round (default 2); --warmup <s> (default 0.5)
//   --connections <n>  default 32
//   --only <text>      run only cases whose id contains <text> (repeatable; skips the rest)
//   --profile          run servers with --cpu-prof; profiles land in bench/profiles/
//   --no-write         do not update BENCHMARKS.md
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestIssuer } from '@prmkit/testing';
import { allCases, allRatios, FRAMEWORKS } from './cases.mjs';
import { runHostile } from './hostile.mjs';
import { load, requestShape } from './load.mjs';
import { describeMachine, describeVersions, processCpuSeconds } from './machine.mjs';
import { renderResults, writeResults } from './report.mjs';
import { startServer } from './servers.mjs';
import { summarize } from './stats.mjs';

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const { values: flags } = parseArgs({
  // `pnpm bench -- --quick` forwards the `--` itself: drop it.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string', multiple: true },
    profile: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});

const quick = flags.quick;
const settings = {
  rounds: Number(flags.rounds ?? (quick ? 1 : 4)),
  duration: Number(flags.duration ?? (quick ? 0.3 : 2)),
  warmup: Number(flags.warmup ?? (quick ? 0.1 : 0.5)),
  connections: Number(flags.connections),
  pool: quick ? 256 : 4096,
};
const cacheEntries = settings.pool / 4;
// The whole run stays within 15 minutes; a case that would overrun it is not measured.
const BUDGET_SECONDS = 22 * 60;
const started = Date.now();
const loadBefore = os.loadavg();
const RESOURCE = 'http://127.0.0.1:8080/mcp';
const elapsed = () => (Date.now() - started) / 1000;

const cases = allCases().filter((c) => !flags.only || flags.only.some((o) => c.id.includes(o)));
console.log(
  `prmkit bench: ${cases.length} HTTP cases × ${settings.rounds} rounds, ${settings.warmup}+${settings.duration} s each, ${settings.connections} connections; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
);

const issuers = {
  RS256: await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools' }),
  ES256: await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools', alg: 'ES256' }),
};
/** One reused token per algorithm, and a pool larger than the cache for rotating cases. */
async function mintPool(issuer, size) {
  const pool = [];
  for (let i = 0; i < size; i += 64) {
    pool.push(
      ...(await Promise.all(Array.from({ length: Math.min(64, size - i) }, () => issuer.mint()))),
    );
  }
  return pool;
}
const tokens = {
  RS256: { reused: await issuers.RS256.mint(), pool: await mintPool(issuers.RS256, settings.pool) },
  ES256: { reused: await issuers.ES256.mint(), pool: await mintPool(issuers.ES256, settings.pool) },
};
console.log(`minted ${2 * (settings.pool + 1)} tokens in ${elapsed().toFixed(1)} s`);

const staticMetadata = {
  resource: RESOURCE,
  authorization_servers: [issuers.RS256.issuer],
  scopes_supported: ['mcp:tools'],
  bearer_methods_supported: ['header'],
};

function envFor(c) {
  const issuer = issuers[c.alg];
  return {
    framework: c.framework,
    variant: c.variant,
    backend: c.backend,
    alg: c.alg,
    issuer: issuer.issuer,
    jwksUri: issuer.jwksUri,
    resource: RESOURCE,
    cacheEntries,
    staticMetadata,
  };
}

/** One request with the case's first token: the case must answer 200 before it is measured. */
async function check(url, token, request) {
  const shape = requestShape(request);
  const res = await fetch(url, {
    method: shape.method,
    body: shape.body,
    headers: { ...shape.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const body = await res.text();
  if (res.status === 200) return undefined;
  const challenge = res.headers.get('www-authenticate');
  return `answered ${res.status}${challenge ? ` (${challenge})` : ''}: ${body.slice(0, 160)}`;
}

function targetFor(c) {
  const t = tokens[c.alg];
  if (c.tokens !== 'rotating') return { token: t.reused };
  let next = 0;
  return { nextToken: () => t.pool[next++ % t.pool.length] };
}

/** @type {Map<string, { case: any, ok: boolean, reason?: string, runs: any[] }>} */
const results = new Map(cases.map((c) => [c.id, { case: c, ok: true, runs: [] }]));
const perRound = settings.warmup + settings.duration + 0.2;

for (const framework of FRAMEWORKS) {
  const group = cases.filter((c) => c.framework === framework);
  if (group.length === 0) continue;
  const servers = new Map();
  try {
    // Started together: startup is most of a quick run.
    await Promise.all(
      group.map(async (c) => {
        const result = results.get(c.id);
        try {
          const server = await startServer(c, envFor(c), { benchDir, profile: flags.profile });
          servers.set(c.id, server);
          const target = targetFor(c);
          const problem = await check(
            `http://127.0.0.1:${server.port}${c.path}`,
            target.token ?? target.nextToken(),
            c.request,
          );
          if (problem) {
            result.ok = false;
            result.reason = problem.replaceAll('|', '\\|');
            console.log(`${c.id.padEnd(34)} not measured: ${problem}`);
          }
        } catch (error) {
          result.ok = false;
          result.reason = String(error?.message ?? error);
          console.log(`${c.id.padEnd(34)} failed to start: ${result.reason}`);
        }
      }),
    );
    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? group : [...group].reverse();
      for (const c of order) {
        const result = results.get(c.id);
        if (!result.ok) continue;
        if (elapsed() + perRound > BUDGET_SECONDS - 60) {
          result.reason = 'some rounds skipped: 22-minute budget';
          continue;
        }
        const url = `http://127.0.0.1:${servers.get(c.id).port}${c.path}`;
        const target = targetFor(c);
        const o = { url, connections: settings.connections, request: c.request, ...target };
        if (settings.warmup > 0) await load({ ...o, duration: settings.warmup });
        const at = elapsed();
        const pid = servers.get(c.id).pid;
        const cpuBefore = processCpuSeconds(pid);
        const r = await load({ ...o, duration: settings.duration });
        const cpu = processCpuSeconds(pid) - cpuBefore;
        // The server's CPU (every thread) per request answered: what a case costs, whether
        // or not the server was the bottleneck; and how busy it was (1 = one core).
        const serverCpuMicroseconds = r.total > 0 ? (cpu * 1e6) / r.total : NaN;
        const serverCores = cpu / settings.duration;
        result.runs.push({ round, at, ...r, serverCpuMicroseconds, serverCores });
        console.log(
          `r${round} ${c.id.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s  p99 ${String(r.p99).padStart(4)} ms  server ${serverCpuMicroseconds.toFixed(0).padStart(4)} µs/req ${serverCores.toFixed(2)} cores  non2xx ${r.non2xx}  errors ${r.errors}`,
        );
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()));
  }
}

// Hostile load: honest clients with and without a flood of unknown-kid / forged tokens.
let hostile;
if (!flags.only || flags.only.some((o) => 'hostile'.includes(o))) {
  hostile = await runHostile({
    issuer: issuers.RS256,
    token: tokens.RS256.reused,
    env: envFor({ framework: 'fastify', variant: 'prmkit', backend: 'node', alg: 'RS256' }),
    benchDir,
    quick,
    rounds: settings.rounds,
    connections: settings.connections,
  });
}

// In-process micro bench of the verification itself, in its own process.
let micro;
if (!flags.only || flags.only.some((o) => 'micro'.includes(o))) {
  micro = await new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('./micro.mjs', import.meta.url)), ...(quick ? ['--quick'] : [])],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: benchDir },
    );
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`micro bench exited with ${code}`));
      const last = out.trim().split('\n').at(-1);
      resolve(JSON.parse(last));
    });
  });
}
await Promise.all(Object.values(issuers).map((i) => i.close()));

const run = {
  startedAt: new Date(started).toISOString(),
  elapsedSeconds: elapsed(),
  machine: describeMachine(),
  loadAverage: {
    before: loadBefore.map((l) => l.toFixed(2)).join(' '),
    after: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  },
  versions: describeVersions(),
  settings: { ...settings, 'prmkit tokenCache.maxEntries in (c)': cacheEntries },
  ...summarize([...results.values()], allRatios()),
  hostile,
  micro,
};
const markdown = renderResults(run);
mkdirSync(`${benchDir}results`, { recursive: true });
const name = quick ? 'quick' : 'latest';
writeFileSync(`${benchDir}results/${name}.json`, `${JSON.stringify(run, null, 2)}\n`);
writeFileSync(`${benchDir}results/${name}.md`, `${markdown}\n`);
if (!quick && !flags['no-write'] && !flags.only) writeResults(`${repoRoot}BENCHMARKS.md`, markdown);
console.log(`\n${markdown}\n\ndone in ${run.elapsedSeconds.toFixed(0)} s`);
