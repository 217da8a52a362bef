// Certificate-bound tokens (RFC 8705) in process: what the binding check adds to a request.
// One certificate-bound token (verified once, then served from the token cache) presented
// with its client certificate's DER (as the Node adapters hand over the TLS socket's), and
// the same through a trusted proxy's RFC 9440 header, against the same server's Bearer path
// (mTLS allowed, an unbound token). The certificate is made by openssl before measuring.
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { createResourceServer } from '@prmkit/core/node';
import { createTestCertificate, createTestIssuer } from '@prmkit/testing';
import { spread } from './stats.mjs';

const RESOURCE = 'http://127.0.0.1:8080/mcp';

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * @param {{ rounds: number, sliceMs: number }} settings
 */
export async function mtlsMicro({ rounds, sliceMs }) {
  const issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools', alg: 'ES256' });
  const cert = createTestCertificate('bench-client');
  const bound = await issuer.mint({ cnf: { 'x5t#S256': cert.thumbprint } });
  const bearer = await issuer.mint();
  const rs = createResourceServer({
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    allowHttp: 'loopback',
    jwt: { jwksUri: issuer.jwksUri, algorithms: ['ES256'] },
    mtls: {
      mode: 'allowed',
      certificateHeader: { format: 'rfc9440' },
      trustedProxies: ['127.0.0.1'],
    },
  });
  const check = (r) => {
    if (!r.ok) throw new Error(`mtls micro: ${r.error.code}`);
  };
  const requests = {
    'Bearer, unbound token (mTLS allowed)': {
      method: 'GET',
      url: '/mcp',
      headers: { authorization: `Bearer ${bearer}` },
    },
    'certificate-bound token, TLS socket certificate': {
      method: 'GET',
      url: '/mcp',
      headers: { authorization: `Bearer ${bound}` },
      peerCertificate: { der: cert.der },
    },
    'certificate-bound token, RFC 9440 header from a trusted proxy': {
      method: 'GET',
      url: '/mcp',
      headers: { authorization: `Bearer ${bound}`, 'client-cert': cert.rfc9440 },
      peerAddress: '127.0.0.1',
    },
  };
  const slice = async (req) => {
    const c0 = cpuSeconds();
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < sliceMs) {
      check(await rs.authorize(req));
      n++;
    }
    return n / (cpuSeconds() - c0);
  };
  const names = Object.keys(requests);
  const perSecond = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) await slice(requests[n]); // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const n of order) perSecond[n].push(await slice(requests[n]));
  }
  await issuer.close();
  const [bearerName, socketName] = names;
  return {
    rows: names.map((n) => ({
      name: n,
      perCpuSecond: spread(perSecond[n]),
      microseconds: 1e6 / spread(perSecond[n]).median,
    })),
    // What the binding check (SHA-256 of the DER, compare) adds per request, µs, per round.
    bindingMicroseconds: spread(
      perSecond[socketName].map((v, i) => 1e6 / v - 1e6 / perSecond[bearerName][i]),
    ),
    settings: { rounds, sliceMs },
  };
}
