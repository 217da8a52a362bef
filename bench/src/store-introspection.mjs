// Shared introspection: what Redis costs per decision, against the in-memory store.
//
//   pnpm exec turbo run build --filter=@prmkit/bench...
//   node bench/src/store-introspection.mjs            # needs redis-server (Debian package)
//   node bench/src/store-introspection.mjs --quick
//
// One process, no HTTP in front: `authorize()` on a resource server whose introspection
// answers live in the store, with the in-process verified-token cache OFF (every decision
// reads the store: the worst case, and the per-request cost at a fleet's first sight of a
// token) and ON (the default: the store is read once per token and process, until the
// shared answer's deadline). The introspection endpoint is a loopback HTTP server, asked
// once per token; every measured decision is a store hit. Bounded: a fixed count of
// decisions per case and a time cap.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createMemoryStore } from '@prmkit/core/store';
import { createResourceServer } from '@prmkit/core';
import { createRedisStore } from '@prmkit/redis';
import { redisServerPath, startRedisServer } from '@prmkit/testing';

const quick = process.argv.includes('--quick');
const DECISIONS = quick ? 2_000 : 20_000;
const CONCURRENCY = 32;
const TIME_CAP_MS = 60_000;
const RESOURCE = 'http://127.0.0.1:4000/mcp';
const ISSUER = 'http://127.0.0.1:9000';

const redisBinary = redisServerPath();
if (redisBinary === undefined) {
  console.error('redis-server is not installed (apt-get install -y redis-server)');
  process.exit(1);
}

const endpoint = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        active: true,
        iss: ISSUER,
        aud: RESOURCE,
        sub: 'alice',
        client_id: 'agent',
        scope: 'mcp:tools',
        exp: Math.floor(Date.now() / 1000) + 3600,
      }),
    );
  });
});
await new Promise((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
const introspectionUrl = `http://127.0.0.1:${endpoint.address().port}/introspect`;
const redis = await startRedisServer(redisBinary);

function server(store, tokenCache) {
  return createResourceServer({
    resource: RESOURCE,
    authorizationServers: [ISSUER],
    allowHttp: 'loopback',
    introspection: {
      endpoint: introspectionUrl,
      clientAuth: { method: 'client_secret_basic', clientId: 'rs', clientSecret: 'secret' },
      cacheMaxAge: 3600,
    },
    store,
    ...(tokenCache ? {} : { tokenCache: false }),
  });
}

const request = (token) => ({
  method: 'POST',
  url: '/mcp',
  headers: { authorization: `Bearer ${token}` },
});

/** Sequential decisions: latency of one. Then CONCURRENCY in flight: throughput. */
async function measure(rs) {
  const token = `opaque-${Math.random().toString(36).slice(2)}`;
  const warm = await rs.authorize(request(token)); // introspected once, stored
  if (!warm.ok) throw new Error(`warm-up refused: ${warm.error.code}`);
  const started = performance.now();
  const latencies = [];
  for (let i = 0; i < DECISIONS && performance.now() - started < TIME_CAP_MS / 2; i++) {
    const t = performance.now();
    const result = await rs.authorize(request(token));
    latencies.push(performance.now() - t);
    if (!result.ok) throw new Error(`refused: ${result.error.code}`);
  }
  latencies.sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  let done = 0;
  const throughputStart = performance.now();
  const worker = async () => {
    while (done < DECISIONS && performance.now() - throughputStart < TIME_CAP_MS / 2) {
      done += 1;
      const result = await rs.authorize(request(token));
      if (!result.ok) throw new Error(`refused: ${result.error.code}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - throughputStart) / 1000;
  return {
    p50: pick(0.5),
    p99: pick(0.99),
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    perSecond: done / seconds,
  };
}

const redisStore = createRedisStore({ url: redis.url });
await redisStore.ready;
const cases = [
  ['memory store, tokenCache off', server(createMemoryStore(), false)],
  ['Redis store, tokenCache off', server(redisStore, false)],
  ['memory store, tokenCache on (default)', server(createMemoryStore(), true)],
  ['Redis store, tokenCache on (default)', server(redisStore, true)],
];
const rows = [];
for (const [name, rs] of cases) {
  const r = await measure(rs);
  rows.push(
    `| ${name} | ${(r.p50 * 1000).toFixed(1)} | ${(r.p99 * 1000).toFixed(1)} | ${(r.mean * 1000).toFixed(1)} | ${Math.round(r.perSecond).toLocaleString('en-US')} |`,
  );
}
await redisStore.close();
await redis.stop();
endpoint.close();

console.log(
  `Node ${process.version}, ${DECISIONS} decisions per case, ${CONCURRENCY} in flight for throughput, redis-server on 127.0.0.1.\n`,
);
console.log('| case | p50 µs | p99 µs | mean µs | decisions/s (32 in flight) |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
