// DPoP (RFC 9449) in process: what checking a proof adds to a request. One DPoP-bound token
// (verified once, then served from the token cache, like a client's session) presented with
// a fresh ES256 proof on every request, against the same server's Bearer path with one
// reused token. Proofs are signed before each slice (the client's cost is not measured);
// every proof is used once, so the jti replay check writes to the store each time.
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { createMemoryStore } from '@prmkit/core/store';
import { createResourceServer } from '@prmkit/core/node';
import { createDpopTestKey, createTestIssuer } from '@prmkit/testing';
import { spread } from './stats.mjs';

const RESOURCE = 'http://127.0.0.1:8080/mcp';

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * @param {{ rounds: number, sliceMs: number, batch: number }} settings
 */
export async function dpopMicro({ rounds, sliceMs, batch }) {
  const issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools', alg: 'ES256' });
  const key = await createDpopTestKey('ES256');
  const bound = await issuer.mint({ cnf: { jkt: key.jkt } });
  const bearer = await issuer.mint();
  const rs = createResourceServer({
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    allowHttp: 'loopback',
    jwt: { jwksUri: issuer.jwksUri, algorithms: ['ES256'] },
    dpop: { mode: 'allowed', algorithms: ['ES256'] },
    store: createMemoryStore({ maxMarkers: 2_000_000 }),
  });
  const proofs = async () =>
    Promise.all(
      Array.from({ length: batch }, () =>
        key.proof({ method: 'GET', url: RESOURCE, accessToken: bound }),
      ),
    );
  const check = (r) => {
    if (!r.ok) throw new Error(`dpop micro: ${r.error.code}`);
  };
  const bearerRequest = {
    method: 'GET',
    url: '/mcp',
    headers: { authorization: `Bearer ${bearer}` },
  };
  const cases = {
    'Bearer, one reused token': async () => {
      const c0 = cpuSeconds();
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < sliceMs) {
        check(await rs.authorize(bearerRequest));
        n++;
      }
      return n / (cpuSeconds() - c0);
    },
    'DPoP, one reused token, a fresh ES256 proof per request': async () => {
      const queue = await proofs();
      const c0 = cpuSeconds();
      const t0 = performance.now();
      let n = 0;
      while (n < queue.length && performance.now() - t0 < sliceMs) {
        const r = await rs.authorize({
          method: 'GET',
          url: '/mcp',
          headers: { authorization: `DPoP ${bound}`, dpop: queue[n] },
        });
        check(r);
        n++;
      }
      return n / (cpuSeconds() - c0);
    },
  };
  const names = Object.keys(cases);
  const perSecond = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) await cases[n](); // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const n of order) perSecond[n].push(await cases[n]());
  }
  await issuer.close();
  const [bearerName, dpopName] = names;
  return {
    rows: names.map((n) => ({
      name: n,
      perCpuSecond: spread(perSecond[n]),
      microseconds: 1e6 / spread(perSecond[n]).median,
    })),
    // What the proof adds per request, µs, per round.
    proofMicroseconds: spread(
      perSecond[dpopName].map((v, i) => 1e6 / v - 1e6 / perSecond[bearerName][i]),
    ),
    settings: { rounds, sliceMs, batch },
  };
}
