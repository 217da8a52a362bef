// Hostile load: honest MCP clients (one reused token each, verified once and cached) while
// an attacker floods the same server with tokens naming random unknown `kid`s, or signed by
// a key the JWKS does not hold. Interleaved: honest alone, honest under flood, per round.
// What it checks: the flood costs at most one JWKS fetch per cooldown (30 s by default)
// and slows honest requests by at most 10 %.
import { randomBytes } from 'node:crypto';
import { load } from './load.mjs';
import { startServer } from './servers.mjs';
import { spread } from './stats.mjs';

const COOLDOWN_SECONDS = 30;
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Tokens that pass every cheap check (issuer, alg, typ) and fail at the key or signature. */
function floodToken(kind, template, kid) {
  const [, payload, signature] = template.split('.');
  if (kind === 'unknown-kid') {
    const header = b64({ alg: 'RS256', typ: 'at+jwt', kid: randomBytes(12).toString('hex') });
    return `${header}.${payload}.${signature}`;
  }
  // A known kid, a signature by no key of the issuer: a full RSA verification each.
  const header = b64({ alg: 'RS256', typ: 'at+jwt', kid });
  return `${header}.${payload}.${randomBytes(256).toString('base64url')}`;
}

/**
 * @param {{ issuer: any, token: string, env: Record<string, unknown>, benchDir: string, quick: boolean, rounds: number, connections: number }} o
 */
export async function runHostile(o) {
  const duration = o.quick ? 0.5 : 3;
  const floodRate = o.quick ? 500 : 2000; // requests a second, across 8 connections
  const honestConnections = Math.max(1, o.connections - 8);
  const server = await startServer({ id: 'hostile/fastify' }, o.env, { benchDir: o.benchDir });
  const url = `http://127.0.0.1:${server.port}/mcp`;
  const jwksFetches = () => o.issuer.requests.filter((r) => r.path === '/jwks').length;
  const kinds = ['unknown-kid', 'bad-signature'];
  const fetchesAtStart = jwksFetches();
  let floodStart = Number.NaN;
  let floodEnd = Number.NaN;
  const rows = Object.fromEntries(
    kinds.map((k) => [k, { ratios: [], fetches: 0, floodSeconds: 0, refused: 0, accepted: 0 }]),
  );
  try {
    // Keys cached, honest token cached.
    const first = await fetch(url, { headers: { authorization: `Bearer ${o.token}` } });
    await first.arrayBuffer();
    const honest = { url, connections: honestConnections, token: o.token };
    await load({ ...honest, duration: o.quick ? 0.1 : 0.5 });
    const rounds = o.quick ? 1 : Math.max(2, o.rounds);
    for (let round = 0; round < rounds; round++) {
      for (const kind of kinds) {
        const alone = await load({ ...honest, duration });
        const before = jwksFetches();
        if (Number.isNaN(floodStart)) floodStart = Date.now();
        const [under, flood] = await Promise.all([
          load({ ...honest, duration }),
          load({
            url,
            connections: 8,
            duration,
            overallRate: floodRate,
            nextToken: () => floodToken(kind, o.token, o.issuer.kid),
          }),
        ]);
        floodEnd = Date.now();
        const row = rows[kind];
        row.fetches += jwksFetches() - before;
        row.floodSeconds += duration;
        row.ratios.push(under.rps / alone.rps);
        row.refused += flood.non2xx;
        row.accepted += flood.total - flood.non2xx;
        row.floodRps = (row.floodRps ?? 0) + flood.rps / rounds;
        row.honestP99 = under.p99;
        row.aloneP99 = alone.p99;
        console.log(
          `hostile r${round} ${kind.padEnd(14)} honest ${alone.rps.toFixed(0)} → ${under.rps.toFixed(0)} req/s under ${flood.rps.toFixed(0)} flood req/s; JWKS fetches ${jwksFetches() - before}`,
        );
      }
    }
  } finally {
    await server.stop();
  }
  const spanSeconds = (floodEnd - floodStart) / 1000;
  return {
    framework: 'fastify',
    spanSeconds,
    jwksFetches: jwksFetches() - fetchesAtStart,
    // One fetch per cooldown window the floods spanned, wherever the windows begin.
    allowedFetches: Math.floor(spanSeconds / COOLDOWN_SECONDS) + 1,
    floodRate,
    honestConnections,
    duration,
    cooldownSeconds: COOLDOWN_SECONDS,
    rows: Object.entries(rows).map(([kind, r]) => ({
      kind,
      ...spread(r.ratios),
      jwksFetches: r.fetches,
      floodRps: r.floodRps,
      refused: r.refused,
      accepted: r.accepted,
      honestP99: r.honestP99,
      aloneP99: r.aloneP99,
    })),
  };
}
