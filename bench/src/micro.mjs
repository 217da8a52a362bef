// In-process micro bench: the verification of a new token, counted per CPU-second of this
// process (process.cpuUsage, so Web Crypto's thread-pool work counts too), one token at a
// time. Cases run interleaved in short slices (A B C … then … C B A), several rounds; each
// ratio is computed within a round and reported as median and spread. Prints one JSON line.
//   --quick   one short round
import { Buffer } from 'node:buffer';
import { KeyObject, verify } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createJwtVerifier } from '@prmkit/core/verify';
import { createResourceServer as createWebResourceServer } from '@prmkit/core';
import { createResourceServer, nodeCryptoBackend } from '@prmkit/core/node';
import { createTestIssuer } from '@prmkit/testing';
import { dpopMicro } from './dpop-micro.mjs';
import { mtlsMicro } from './mtls-micro.mjs';
import { spread } from './stats.mjs';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = flags.quick;
const ROUNDS = quick ? 1 : 7;
const SLICE_MS = quick ? 40 : 250;
const POOL = quick ? 256 : 2048;
const RESOURCE = 'http://127.0.0.1:8080/mcp';
const loadBefore = os.loadavg();

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Runs `fn` on fresh tokens for one slice; returns verifications per CPU-second. */
async function slice(fn, tokens, cursor) {
  const c0 = cpuSeconds();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < SLICE_MS) {
    for (let i = 0; i < 16; i++) {
      await fn(tokens[cursor.i++ % tokens.length]);
      n++;
    }
  }
  return n / (cpuSeconds() - c0);
}

async function casesFor(alg) {
  const issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools', alg });
  const tokens = [];
  for (let i = 0; i < POOL; i += 64) {
    tokens.push(
      ...(await Promise.all(Array.from({ length: Math.min(64, POOL - i) }, () => issuer.mint()))),
    );
  }
  // The floor: what a minimal hand-written node:crypto check does, and no more.
  const keyObject = KeyObject.from(issuer.publicKey);
  const keyOptions =
    alg === 'ES256' ? { key: keyObject, dsaEncoding: 'ieee-p1363' } : { key: keyObject };
  const minimal = (token) => {
    const [h, p, s] = token.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    if (!verify('sha256', Buffer.from(`${h}.${p}`), keyOptions, Buffer.from(s, 'base64url')))
      throw new Error('minimal: signature');
    return [header, JSON.parse(Buffer.from(p, 'base64url').toString())];
  };
  const jwks = createRemoteJWKSet(new URL(issuer.jwksUri));
  const jose = (token) =>
    jwtVerify(token, jwks, { issuer: issuer.issuer, audience: RESOURCE, algorithms: [alg] });
  const verifierOptions = {
    resource: RESOURCE,
    issuers: [issuer.issuer],
    jwksUri: issuer.jwksUri,
    algorithms: [alg],
    clockTolerance: 30,
    timeout: 5000,
    fetch: globalThis.fetch,
    allowHttp: 'loopback',
  };
  const nodeVerifier = createJwtVerifier({
    ...verifierOptions,
    signatureBackend: nodeCryptoBackend,
  });
  const webVerifier = createJwtVerifier(verifierOptions);
  const config = {
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    allowHttp: 'loopback',
    jwt: { jwksUri: issuer.jwksUri, algorithms: [alg] },
  };
  // A cache a quarter of the pool: a cyclic walk never hits, every call inserts and evicts.
  const withCache = createResourceServer({ ...config, tokenCache: { maxEntries: POOL / 4 } });
  const noCache = createResourceServer({ ...config, tokenCache: false });
  const webWithCache = createWebResourceServer({ ...config, tokenCache: { maxEntries: POOL / 4 } });
  const authorize = (rs) => async (token) => {
    const r = await rs.authorize({
      method: 'GET',
      url: '/mcp',
      headers: { authorization: `Bearer ${token}` },
    });
    if (!r.ok) throw new Error(`authorize: ${r.error.code}`);
  };
  const cases = {
    minimal,
    jose,
    'prmkit verifier, node:crypto': (t) => nodeVerifier.verify(t),
    'prmkit verifier, Web Crypto': (t) => webVerifier.verify(t),
    'prmkit authorize, node:crypto, cache miss': authorize(withCache),
    'prmkit authorize, node:crypto, no cache': authorize(noCache),
    'prmkit authorize, Web Crypto, cache miss': authorize(webWithCache),
  };
  // Every case must accept the tokens before it is measured.
  for (const [name, fn] of Object.entries(cases)) {
    try {
      await fn(tokens[0]);
    } catch (error) {
      throw new Error(`${alg} ${name}: ${error.message}`, { cause: error });
    }
  }
  return { issuer, tokens, cases };
}

const report = { loadAverage: { before: loadBefore.map((l) => l.toFixed(2)).join(' ') }, algs: {} };
for (const alg of ['RS256', 'ES256']) {
  const { issuer, tokens, cases } = await casesFor(alg);
  const names = Object.keys(cases);
  const perSecond = Object.fromEntries(names.map((n) => [n, []]));
  const cursor = { i: 0 };
  // One warm-up pass so JIT and key caches are settled.
  for (const n of names) await slice(cases[n], tokens, cursor);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const n of order) perSecond[n].push(await slice(cases[n], tokens, cursor));
  }
  const rows = names.map((n) => ({
    name: n,
    perCpuSecond: spread(perSecond[n]),
    ofMinimal: spread(perSecond[n].map((v, i) => v / perSecond.minimal[i])),
    ofJose: spread(perSecond[n].map((v, i) => v / perSecond.jose[i])),
    microseconds: 1e6 / spread(perSecond[n]).median,
  }));
  // The cost of the cache on a miss: authorize with it vs without, per round.
  const missCost = perSecond['prmkit authorize, node:crypto, cache miss'].map(
    (v, i) => 1e6 / v - 1e6 / perSecond['prmkit authorize, node:crypto, no cache'][i],
  );
  report.algs[alg] = { rows, cacheMissMicroseconds: spread(missCost) };
  await issuer.close();
  process.stderr.write(
    `micro ${alg}: ${rows.map((r) => `${r.name} ${r.perCpuSecond.median.toFixed(0)}/s`).join('; ')}\n`,
  );
}
report.dpop = await dpopMicro({ rounds: ROUNDS, sliceMs: SLICE_MS, batch: quick ? 256 : 2048 });
process.stderr.write(
  `micro DPoP: ${report.dpop.rows.map((r) => `${r.name} ${r.perCpuSecond.median.toFixed(0)}/s`).join('; ')}\n`,
);
report.mtls = await mtlsMicro({ rounds: ROUNDS, sliceMs: SLICE_MS });
process.stderr.write(
  `micro mTLS: ${report.mtls.rows.map((r) => `${r.name} ${r.perCpuSecond.median.toFixed(0)}/s`).join('; ')}\n`,
);
report.loadAverage.after = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
report.settings = { rounds: ROUNDS, sliceMs: SLICE_MS, pool: POOL };
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
