import {
  createDpopTestKey,
  createTestCertificate,
  createTestIssuer,
  readBody,
  type TestCertificate,
  type TestIssuer,
} from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthorizeDecision,
  type AuthorizeResult,
  createResourceServer,
  findChallenge,
  parseWwwAuthenticate,
  PrmkitConfigError,
  type RequestLike,
  type ResourceServerConfig,
} from '../../src/index.js';
import { startServer } from '../token/helpers.js';

// RFC 8705 §3 at the resource server, with certificates made by the real openssl and tokens
// signed by the test issuer over loopback JWKS.
const RESOURCE = 'http://127.0.0.1:4100/mcp';
let issuer: TestIssuer;
let certA: TestCertificate;
let certB: TestCertificate;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools' });
  certA = createTestCertificate('client-a');
  certB = createTestCertificate('client-b');
});
afterAll(() => issuer.close());

function config(overrides: Partial<ResourceServerConfig> = {}): ResourceServerConfig {
  return {
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    allowHttp: 'loopback',
    requiredScopes: ['mcp:tools'],
    jwt: { jwksUri: issuer.jwksUri },
    httpTimeout: 2000,
    ...overrides,
  };
}

const boundTo = (cert: TestCertificate, claims: Record<string, unknown> = {}) =>
  issuer.mint({ cnf: { 'x5t#S256': cert.thumbprint }, ...claims });

function request(token: string, extra: Partial<RequestLike> = {}): RequestLike {
  return {
    method: 'GET',
    url: '/mcp',
    ...extra,
    headers: { authorization: `Bearer ${token}`, ...(extra.headers as Record<string, string>) },
  };
}

function refusal(result: AuthorizeResult) {
  if (result.ok) throw new Error('expected a refusal');
  return result;
}
const bearerError = (result: AuthorizeResult) =>
  findChallenge(parseWwwAuthenticate(refusal(result).headers['www-authenticate'] ?? ''), 'Bearer')
    ?.params.error;

function configIssues(c: ResourceServerConfig): string[] {
  try {
    createResourceServer(c);
  } catch (e) {
    if (e instanceof PrmkitConfigError) return e.issues.map((i) => i.path);
    throw e;
  }
  return [];
}

describe('mtls configuration and metadata', () => {
  it('advertises tls_client_certificate_bound_access_tokens exactly when enforced', () => {
    for (const mode of ['allowed', 'required'] as const) {
      const rs = createResourceServer(config({ mtls: { mode } }));
      expect(rs.metadata.tls_client_certificate_bound_access_tokens).toBe(true);
    }
    for (const c of [config(), config({ mtls: { mode: 'off' } })]) {
      const rs = createResourceServer(c);
      expect(rs.metadata).not.toHaveProperty('tls_client_certificate_bound_access_tokens');
    }
  });

  it('keeps refusing to advertise the binding when nothing enforces it', () => {
    expect(configIssues(config({ tlsClientCertificateBoundAccessTokens: true }))).toEqual([
      'tlsClientCertificateBoundAccessTokens',
    ]);
    expect(
      configIssues(config({ mtls: { mode: 'off' }, tlsClientCertificateBoundAccessTokens: true })),
    ).toEqual(['tlsClientCertificateBoundAccessTokens']);
    expect(
      configIssues(
        config({ mtls: { mode: 'allowed' }, tlsClientCertificateBoundAccessTokens: true }),
      ),
    ).toEqual(['tlsClientCertificateBoundAccessTokens']);
  });

  it('requires trustedProxies for header mode and checks every entry', () => {
    expect(
      configIssues(config({ mtls: { mode: 'allowed', certificateHeader: { format: 'nginx' } } })),
    ).toEqual(['mtls.trustedProxies']);
    expect(
      configIssues(
        config({
          mtls: {
            mode: 'allowed',
            certificateHeader: { format: 'rfc9440' },
            trustedProxies: ['10.0.0.0/8', 'not-an-ip', '10.0.0.0/33', '::1/129', '::1'],
          },
        }),
      ),
    ).toEqual(['mtls.trustedProxies.1', 'mtls.trustedProxies.2', 'mtls.trustedProxies.3']);
    expect(configIssues(config({ mtls: { mode: 'allowed', trustedProxies: ['::1'] } }))).toEqual([
      'mtls.trustedProxies',
    ]);
    expect(
      configIssues(
        config({
          mtls: {
            mode: 'allowed',
            certificateHeader: { format: 'nginx', name: 'bad header' },
            trustedProxies: ['::1'],
          },
        }),
      ),
    ).toEqual(['mtls.certificateHeader.name']);
  });
});

describe('mtls: the certificate of the TLS connection (RFC 8705 §3)', () => {
  it('accepts a bound token with its certificate, as bytes or from a lazy reader', async () => {
    const rs = createResourceServer(config({ mtls: { mode: 'allowed' } }));
    const token = await boundTo(certA);
    expect((await rs.authorize(request(token, { peerCertificate: { der: certA.der } }))).ok).toBe(
      true,
    );
    let reads = 0;
    const lazy = () => (reads++, { der: certA.der });
    expect((await rs.authorize(request(token, { peerCertificate: lazy }))).ok).toBe(true);
    expect(reads).toBe(1);
  });

  it('refuses a bound token with another certificate: 401 invalid_token, mtls_certificate_mismatch', async () => {
    const rs = createResourceServer(config({ mtls: { mode: 'allowed' } }));
    const result = await rs.authorize(
      request(await boundTo(certA), { peerCertificate: { der: certB.der } }),
    );
    expect(refusal(result).status).toBe(401);
    expect(refusal(result).error.code).toBe('mtls_certificate_mismatch');
    expect(bearerError(result)).toBe('invalid_token');
  });

  it('refuses a bound token without a certificate: 401 mtls_certificate_missing', async () => {
    const rs = createResourceServer(config({ mtls: { mode: 'allowed' } }));
    const result = await rs.authorize(request(await boundTo(certA)));
    expect(refusal(result).status).toBe(401);
    expect(refusal(result).error.code).toBe('mtls_certificate_missing');
    expect(bearerError(result)).toBe('invalid_token');
  });

  it('required mode refuses an unbound token (401 mtls_token_not_bound); allowed mode takes it', async () => {
    const plain = await issuer.mint();
    const required = createResourceServer(config({ mtls: { mode: 'required' } }));
    const result = await required.authorize(
      request(plain, { peerCertificate: { der: certA.der } }),
    );
    expect(refusal(result).status).toBe(401);
    expect(refusal(result).error.code).toBe('mtls_token_not_bound');
    expect(bearerError(result)).toBe('invalid_token');
    const allowed = createResourceServer(config({ mtls: { mode: 'allowed' } }));
    expect((await allowed.authorize(request(plain))).ok).toBe(true);
  });

  it('with mtls off a certificate-bound token is refused by the verifier (no downgrade)', async () => {
    const rs = createResourceServer(config());
    const result = await rs.authorize(
      request(await boundTo(certA), { peerCertificate: { der: certA.der } }),
    );
    expect(refusal(result).error.code).toBe('claim_invalid');
  });

  it('refuses a malformed cnf["x5t#S256"] and a digest-only source that does not match', async () => {
    const rs = createResourceServer(config({ mtls: { mode: 'allowed' } }));
    const numeric = await issuer.mint({ cnf: { 'x5t#S256': 42 } });
    expect(refusal(await rs.authorize(request(numeric))).error.code).toBe('claim_invalid');
    const sha256 = new Uint8Array(Buffer.from(certA.thumbprint, 'base64url'));
    const token = await boundTo(certA);
    expect((await rs.authorize(request(token, { peerCertificate: { sha256 } }))).ok).toBe(true);
    const wrong = new Uint8Array(Buffer.from(certB.thumbprint, 'base64url'));
    expect(
      refusal(await rs.authorize(request(token, { peerCertificate: { sha256: wrong } }))).error
        .code,
    ).toBe('mtls_certificate_mismatch');
  });

  it('refuses socket bytes that are not one DER certificate: 400 mtls_certificate_invalid', async () => {
    const rs = createResourceServer(config({ mtls: { mode: 'allowed' } }));
    const token = await boundTo(certA);
    for (const der of [certA.der.slice(0, -1), new TextEncoder().encode(certA.certPem)]) {
      const result = await rs.authorize(request(token, { peerCertificate: { der } }));
      expect(refusal(result).status).toBe(400);
      expect(refusal(result).error.code).toBe('mtls_certificate_invalid');
    }
  });
});

describe('mtls: a DPoP- and certificate-bound token must satisfy both', () => {
  it('accepts proof and certificate; refuses either one missing or wrong', async () => {
    const key = await createDpopTestKey('ES256');
    const rs = createResourceServer(
      config({ mtls: { mode: 'allowed' }, dpop: { mode: 'allowed' } }),
    );
    const token = await issuer.mint({ cnf: { jkt: key.jkt, 'x5t#S256': certA.thumbprint } });
    const dpop = async (peer?: TestCertificate): Promise<RequestLike> => ({
      method: 'GET',
      url: '/mcp',
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await key.proof({ method: 'GET', url: RESOURCE, accessToken: token }),
      },
      ...(peer && { peerCertificate: { der: peer.der } }),
    });
    expect((await rs.authorize(await dpop(certA))).ok).toBe(true);
    expect(refusal(await rs.authorize(await dpop(certB))).error.code).toBe(
      'mtls_certificate_mismatch',
    );
    expect(refusal(await rs.authorize(await dpop())).error.code).toBe('mtls_certificate_missing');
    const asBearer = await rs.authorize(request(token, { peerCertificate: { der: certA.der } }));
    expect(refusal(asBearer).error.code).toBe('dpop_bound_token_as_bearer');
  });
});

describe('mtls: a certificate header from a trusted proxy', () => {
  const header = (format: 'rfc9440' | 'nginx' | 'envoy-xfcc' | 'aws-alb', name?: string) =>
    config({
      mtls: {
        mode: 'allowed',
        certificateHeader: { format, ...(name && { name }) },
        trustedProxies: ['127.0.0.1', '10.0.0.0/8'],
      },
    });

  it('decodes each named format from a trusted peer', async () => {
    const token = await boundTo(certA);
    const cases: [ReturnType<typeof header>, Record<string, string>][] = [
      [header('rfc9440'), { 'client-cert': certA.rfc9440 }],
      [header('nginx'), { 'x-ssl-client-cert': certA.escapedPem }],
      [header('nginx', 'X-Client-Cert'), { 'x-client-cert': certA.escapedPem }],
      [header('aws-alb'), { 'x-amzn-mtls-clientcert-leaf': certA.escapedPem }],
      [
        header('envoy-xfcc'),
        {
          'x-forwarded-client-cert': `By=spiffe://a/b;Hash=${hex(certB)};Cert="${certB.escapedPem}",By=spiffe://c/d;Hash=${hex(certA)};Cert="${certA.escapedPem}";Subject="CN=client-a"`,
        },
      ],
      [header('envoy-xfcc'), { 'x-forwarded-client-cert': `Hash=${hex(certA)}` }],
    ];
    for (const [c, headers] of cases) {
      const rs = createResourceServer(c);
      const result = await rs.authorize(request(token, { headers, peerAddress: '10.1.2.3' }));
      expect(result.ok, JSON.stringify(headers).slice(0, 60)).toBe(true);
      // The same header with another certificate's token: refused, so the header was read.
      const other = await rs.authorize(
        request(await boundTo(certB), { headers, peerAddress: '10.1.2.3' }),
      );
      expect(refusal(other).error.code).toBe('mtls_certificate_mismatch');
    }
  });

  it('ignores the header from a peer that is not a trusted proxy (spoofing)', async () => {
    const rs = createResourceServer(header('rfc9440'));
    const token = await boundTo(certA);
    for (const peerAddress of ['192.168.1.5', undefined, 'not-an-address']) {
      const result = await rs.authorize(
        request(token, { headers: { 'client-cert': certA.rfc9440 }, peerAddress }),
      );
      expect(refusal(result).error.code).toBe('mtls_certificate_missing');
    }
  });

  it('the socket wins over the header unless the peer is a trusted proxy', async () => {
    const rs = createResourceServer(header('rfc9440'));
    const headers = { 'client-cert': certA.rfc9440 };
    const peerCertificate = { der: certB.der };
    const fromClient = { headers, peerCertificate, peerAddress: '192.168.1.5' };
    expect((await rs.authorize(request(await boundTo(certB), fromClient))).ok).toBe(true);
    expect(refusal(await rs.authorize(request(await boundTo(certA), fromClient))).error.code).toBe(
      'mtls_certificate_mismatch',
    );
    const fromProxy = { headers, peerCertificate, peerAddress: '::ffff:127.0.0.1' };
    expect((await rs.authorize(request(await boundTo(certA), fromProxy))).ok).toBe(true);
    expect(refusal(await rs.authorize(request(await boundTo(certB), fromProxy))).error.code).toBe(
      'mtls_certificate_mismatch',
    );
  });

  it('reports where the certificate came from, never the certificate', async () => {
    const decisions: AuthorizeDecision[] = [];
    const rs = createResourceServer({
      ...header('rfc9440'),
      onDecision: (d) => decisions.push(d),
    });
    const token = await boundTo(certA);
    const headers = { 'client-cert': certA.rfc9440 };
    await rs.authorize(request(token, { headers, peerAddress: '10.0.0.1' }));
    await rs.authorize(request(token, { peerCertificate: { der: certA.der } }));
    await rs.authorize(request(token));
    expect(decisions.map((d) => [d.clientCertificate, d.reason ?? 'granted'])).toEqual([
      ['header', 'granted'],
      ['tls', 'granted'],
      ['none', 'mtls_certificate_missing'],
    ]);
    const text = JSON.stringify(decisions);
    expect(text).not.toContain(certA.rfc9440.slice(1, 40));
    expect(text).not.toContain(certA.thumbprint);
    const off = createResourceServer({ ...config(), onDecision: (d) => decisions.push(d) });
    await off.authorize(request(await issuer.mint()));
    expect(decisions.at(-1)).not.toHaveProperty('clientCertificate');
  });

  it('an empty header from the proxy means no certificate', async () => {
    const rs = createResourceServer(header('nginx'));
    const result = await rs.authorize(
      request(await boundTo(certA), {
        headers: { 'x-ssl-client-cert': '' },
        peerAddress: '10.0.0.1',
      }),
    );
    expect(refusal(result).error.code).toBe('mtls_certificate_missing');
  });

  it('refuses bad header values with 400 mtls_certificate_invalid, never accepts or crashes', async () => {
    const token = await boundTo(certA);
    const base64 = Buffer.from(certA.der).toString('base64');
    const cases: [ReturnType<typeof header>, Record<string, string | string[]>][] = [
      [header('rfc9440'), { 'client-cert': base64 }], // not an sf-binary
      [header('rfc9440'), { 'client-cert': `:${certA.certPem}:` }], // PEM inside RFC 9440
      [header('rfc9440'), { 'client-cert': `:${base64.slice(0, -8)}:` }], // truncated
      [header('rfc9440'), { 'client-cert': ':!!!!:' }],
      [header('rfc9440'), { 'client-cert': `:${'A'.repeat(40_000)}:` }], // oversized
      [header('rfc9440'), { 'client-cert': [certA.rfc9440, certA.rfc9440] }], // two headers
      [header('rfc9440'), { 'client-cert': `${certA.rfc9440}, ${certA.rfc9440}` }], // joined
      [header('nginx'), { 'x-ssl-client-cert': certA.rfc9440 }], // wrong format
      [header('nginx'), { 'x-ssl-client-cert': '%E0%A4%A' }], // bad percent-encoding
      [header('nginx'), { 'x-ssl-client-cert': encodeURIComponent(certA.certPem + certB.certPem) }],
      [header('aws-alb'), { 'x-amzn-mtls-clientcert-leaf': 'garbage' }],
      [
        header('envoy-xfcc'),
        { 'x-forwarded-client-cert': `Hash=${hex(certB)};Cert="${certA.escapedPem}"` },
      ],
      [header('envoy-xfcc'), { 'x-forwarded-client-cert': 'Hash=abc' }],
      [header('envoy-xfcc'), { 'x-forwarded-client-cert': 'By=x;Cert="unterminated' }],
      [header('envoy-xfcc'), { 'x-forwarded-client-cert': 'By=spiffe://a' }],
      [
        header('envoy-xfcc'),
        { 'x-forwarded-client-cert': `Hash=${hex(certA)};Hash=${hex(certA)}` },
      ],
    ];
    for (const [c, headers] of cases) {
      const rs = createResourceServer(c);
      const result = await rs.authorize(
        request(token, { headers: headers as Record<string, string>, peerAddress: '127.0.0.1' }),
      );
      expect(refusal(result).status, JSON.stringify(headers).slice(0, 80)).toBe(400);
      expect(refusal(result).error.code).toBe('mtls_certificate_invalid');
      expect(bearerError(result)).toBe('invalid_request');
    }
  });
});

describe('mtls with introspection: cnf from the introspection answer (RFC 8705 §3.2)', () => {
  it('checks the certificate against the introspected x5t#S256', async () => {
    const token = 'opaque-certificate-bound-token-0123';
    const srv = await startServer(async (req, res) => {
      const form = new URLSearchParams(await readBody(req));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          form.get('token') === token
            ? {
                active: true,
                iss: issuer.issuer,
                aud: RESOURCE,
                sub: 'user-1',
                client_id: 'client-1',
                scope: 'mcp:tools',
                exp: Math.floor(Date.now() / 1000) + 600,
                cnf: { 'x5t#S256': certA.thumbprint },
              }
            : { active: false },
        ),
      );
    });
    try {
      const rs = createResourceServer(
        config({
          jwt: undefined,
          introspection: {
            endpoint: `${srv.url}/introspect`,
            clientAuth: { method: 'client_secret_basic', clientId: 'rs', clientSecret: 's' },
          },
          mtls: { mode: 'required' },
        }),
      );
      expect((await rs.authorize(request(token, { peerCertificate: { der: certA.der } }))).ok).toBe(
        true,
      );
      const other = await rs.authorize(request(token, { peerCertificate: { der: certB.der } }));
      expect(refusal(other).error.code).toBe('mtls_certificate_mismatch');
    } finally {
      await srv.close();
    }
  });
});

function hex(cert: TestCertificate): string {
  return Buffer.from(cert.thumbprint, 'base64url').toString('hex');
}
