#!/usr/bin/env node
// Consumer test (issue #13): packs every public @prmkit package with `pnpm pack`, installs
// the tarballs with plain npm into fresh projects outside the monorepo (one per scaffold in
// ./scaffolds), builds and runs each against the example authorization server, and checks
// the 401 challenge and a 200 with a real token.
//
//   node scripts/consumer/run.mjs                 all scaffolds, 2 at a time
//   node scripts/consumer/run.mjs express5 nest11 only these
//   PRMKIT_CONSUMER_KEEP=1 ...                    keep the temp projects (paths printed)
//
// Needs the packages and apps/authorization-server built (`pnpm test:consumer` builds them).
import { appendFile, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createTokenSource, freshProject, removeDir, run, StepError } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const PACKAGES = [
  'core',
  'express',
  'fastify',
  'hono',
  'web',
  'nestjs',
  'client',
  'cli',
  'redis',
  'otel',
  'gateway',
];
const CONCURRENCY = Number(process.env.PRMKIT_CONSUMER_CONCURRENCY ?? 2);
const keep = process.env.PRMKIT_CONSUMER_KEEP === '1';
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const scaffoldFiles = (await readdir(join(here, 'scaffolds')))
  .filter((f) => f.endsWith('.mjs'))
  .sort();
let scaffolds = [];
for (const file of scaffoldFiles) {
  const mod = await import(pathToFileURL(join(here, 'scaffolds', file)).href);
  scaffolds.push(mod.default);
}
const only = process.argv.slice(2);
if (only.length > 0) {
  const unknown = only.filter((n) => !scaffolds.some((s) => s.name === n));
  if (unknown.length > 0) {
    console.error(
      `unknown scaffold(s): ${unknown.join(', ')}; known: ${scaffolds.map((s) => s.name).join(', ')}`,
    );
    process.exit(2);
  }
  scaffolds = scaffolds.filter((s) => only.includes(s.name));
}

const work = await mkdtemp(join(tmpdir(), 'prmkit-consumer-'));
const tarballDir = join(work, 'tarballs');
const logDir = join(work, 'logs');
await mkdir(tarballDir, { recursive: true });
await mkdir(logDir, { recursive: true });
// One npm cache for every project (and across runs when PRMKIT_CONSUMER_NPM_CACHE is set).
const npmCache =
  process.env.PRMKIT_CONSUMER_NPM_CACHE ?? join(tmpdir(), 'prmkit-consumer-npm-cache');
const npmEnv = {
  npm_config_cache: npmCache,
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'warn',
};

// 1. Pack every public package (pnpm rewrites workspace: and catalog: specifiers).
const tarballs = {};
for (const pkg of PACKAGES) {
  const dir = join(repoRoot, 'packages', pkg);
  const { output } = await run('pnpm', ['pack', '--pack-destination', tarballDir], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  const file = output.trim().split('\n').pop().trim();
  tarballs[`@prmkit/${pkg}`] = file.startsWith('/') ? file : join(tarballDir, file);
}
console.log(
  `packed ${PACKAGES.length} packages in ${seconds(Date.now() - started)} → ${tarballDir}`,
);

// Every tarball carries LICENSE and a README whose links work on the registry page
// (absolute URLs, no ../core), and package.json says the Node it needs.
for (const [name, file] of Object.entries(tarballs)) {
  const { output: list } = await run('tar', ['tzf', file]);
  const files = new Set(list.split('\n').map((l) => l.trim()));
  const problems = ['package/LICENSE', 'package/README.md', 'package/package.json']
    .filter((f) => !files.has(f))
    .map((f) => `${f} missing`);
  const { output: readme } = await run('tar', ['-xOzf', file, 'package/README.md'], {
    check: false,
  });
  for (const m of readme.matchAll(/\]\((\.{1,2}\/[^)]*)\)/g)) problems.push(`README links ${m[1]}`);
  const { output: manifest } = await run('tar', ['-xOzf', file, 'package/package.json']);
  const engines = JSON.parse(manifest).engines?.node;
  if (engines !== '>=20.19.0') problems.push(`engines.node is ${JSON.stringify(engines)}`);
  // `module: commonjs` TypeScript projects find types only through these two fields.
  const pkgJson = JSON.parse(manifest);
  if (pkgJson.types !== pkgJson.exports?.['.']?.types)
    problems.push('top-level "types" is not the main entry\'s');
  for (const sub of Object.keys(pkgJson.exports ?? {}).filter(
    (k) => k !== '.' && k !== './package.json',
  ))
    if (pkgJson.typesVersions?.['*']?.[sub.slice(2)] === undefined)
      problems.push(`typesVersions lacks ${JSON.stringify(sub.slice(2))}`);
  if (problems.length > 0) {
    console.error(`FAIL ${name} tarball: ${problems.join('; ')}`);
    if (!keep) await removeDir(work);
    process.exit(1);
  }
}
console.log('every tarball: LICENSE, README without relative links, engines >=20.19.0, types');

// 2. The example authorization server (built dist), auto-approving, on a free loopback port.
const asModule = join(repoRoot, 'apps/authorization-server/dist/index.js');
const { startAuthorizationServer } = await import(pathToFileURL(asModule).href).catch((error) => {
  console.error(
    `cannot load ${asModule} (build it first: pnpm test:consumer does): ${error.message}`,
  );
  process.exit(2);
});
const as = await startAuthorizationServer({
  port: 0,
  autoApprove: {},
  scopes: ['mcp:tools', 'mcp:admin'],
});
const tokens = await createTokenSource(as);
console.log(`authorization server at ${as.issuer}`);

// 3. The scaffolds, CONCURRENCY at a time, each with its own deadline.
const results = [];
async function runScaffold(scaffold) {
  const t0 = Date.now();
  const dir = await freshProject(scaffold.name);
  const logFile = join(logDir, `${scaffold.name}.log`);
  const log = (text) => appendFile(logFile, text).catch(() => {});
  const ctx = {
    repoRoot,
    tarballs,
    as,
    token: tokens.token,
    client: tokens.client,
    npmEnv,
    log,
  };
  let timer;
  try {
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new StepError(`scaffold deadline of ${seconds(scaffold.timeoutMs)} passed`)),
        scaffold.timeoutMs,
      );
    });
    const notes = await Promise.race([scaffold.run(ctx, dir), deadline]);
    results.push({ name: scaffold.name, ok: true, ms: Date.now() - t0, notes });
    console.log(`PASS ${scaffold.name} (${seconds(Date.now() - t0)})${notes ? `: ${notes}` : ''}`);
  } catch (error) {
    results.push({ name: scaffold.name, ok: false, ms: Date.now() - t0 });
    console.log(`FAIL ${scaffold.name} (${seconds(Date.now() - t0)}): ${error.message}`);
    if (error.output) console.log(error.output.replace(/^/gm, '  | '));
    console.log(`  full log: ${logFile}${keep ? `, project: ${dir}` : ''}`);
  } finally {
    clearTimeout(timer);
    if (!keep) await removeDir(dir);
  }
}

// The slowest first (the Nest scaffolds), so the pool finishes together.
const queue = [...scaffolds].sort((a, b) => b.timeoutMs - a.timeoutMs);
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let s = queue.shift(); s !== undefined; s = queue.shift()) await runScaffold(s);
  }),
);
await as.close();

const failed = results.filter((r) => !r.ok);
console.log(
  `\nconsumer test: ${results.length - failed.length}/${results.length} scaffolds passed in ${seconds(Date.now() - started)}`,
);
if (failed.length === 0 && !keep) await removeDir(work);
else console.log(`logs kept in ${logDir}`);
process.exit(failed.length === 0 ? 0 : 1);
