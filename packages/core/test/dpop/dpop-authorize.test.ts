import {
  createDpopTestKey,
  createTestIssuer,
  type DpopTestKey,
  type TestIssuer,
} from '@prmkit/testing';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthorizeResult,
  createResourceServer,
  findChallenge,
  parseWwwAuthenticate,
  PrmkitConfigError,
  type ResourceServer,
  type ResourceServerConfig,
} from '../../src/index.js';
import { createMemoryStore } from '../../src/store.js';

const RESOURCE = 'http://127.0.0.1:4100/mcp';
let issuer: TestIssuer;
let key: DpopTestKey;
let other: DpopTestKey;

function config(overrides: Partial<ResourceServerConfig> = {}): ResourceServerConfig {
  return {
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    allowHttp: 'loopback',
    requiredScopes: ['mcp:tools'],
    jwt: { jwksUri: issuer.jwksUri },
    httpTimeout: 500,
    ...overrides,
  };
}

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools' });
  key = await createDpopTestKey('ES256');
  other = await createDpopTestKey('ES256');
});
afterAll(() => issuer.close());

const now = () => Math.floor(Date.now() / 1000);
const bound = (k: DpopTestKey = key, claims: Record<string, unknown> = {}) =>
  issuer.mint({ cnf: { jkt: k.jkt }, ...claims });

async function dpopRequest(
  token: string,
  proofOpts: Partial<Parameters<DpopTestKey['proof']>[0]> = {},
  extra: { method?: string; url?: string; k?: DpopTestKey; headers?: Record<string, string> } = {},
) {
  const method = extra.method ?? 'GET';
  const url = extra.url ?? '/mcp';
  const proof = await (extra.k ?? key).proof({
    method,
    url: `http://127.0.0.1:4100${url.split('?')[0]}`,
    accessToken: token,
    ...proofOpts,
  });
  return {
    method,
    url,
    headers: { authorization: `DPoP ${token}`, dpop: proof, ...extra.headers },
  };
}

function challenges(result: AuthorizeResult) {
  if (result.ok) throw new Error('expected a refusal');
  return parseWwwAuthenticate(result.headers['www-authenticate'] ?? '');
}
function dpopParams(result: AuthorizeResult) {
  return findChallenge(challenges(result), 'DPoP')?.params;
}
function refusal(result: AuthorizeResult) {
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

describe('DPoP configuration and metadata', () => {
  it('off by default: no DPoP members, DPoP-bound tokens refused, DPoP scheme is another scheme', async () => {
    const rs = createResourceServer(config());
    expect(rs.metadata.dpop_signing_alg_values_supported).toBeUndefined();
    const token = await bound();
    const asBearer = refusal(
      await rs.authorize({
        method: 'GET',
        url: '/mcp',
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    expect(asBearer.status).toBe(401);
    expect(asBearer.error.code).toBe('claim_invalid');
    const asDpop = refusal(await rs.authorize(await dpopRequest(token)));
    expect(asDpop.status).toBe(401);
    expect(asDpop.error.code).toBe('token_missing');
    const parsed = challenges(asDpop);
    expect(parsed.map((c) => c.scheme)).toEqual(['Bearer']);
    expect(parsed[0]?.params.error).toBeUndefined();
  });

  it('allowed: algs advertised, no dpop_bound_access_tokens_required', () => {
    const rs = createResourceServer(
      config({ dpop: { mode: 'allowed', algorithms: ['ES256', 'EdDSA'] } }),
    );
    expect(rs.metadata.dpop_signing_alg_values_supported).toEqual(['ES256', 'EdDSA']);
    expect(rs.metadata.dpop_bound_access_tokens_required).toBeUndefined();
  });

  it('required: dpop_bound_access_tokens_required true', () => {
    const rs = createResourceServer(config({ dpop: { mode: 'required' } }));
    expect(rs.metadata.dpop_bound_access_tokens_required).toBe(true);
    expect(rs.metadata.dpop_signing_alg_values_supported).toContain('ES256');
  });

  it('refuses symmetric or unknown proof algorithms, short nonce secrets, stores without addIfAbsent and duplicate members', () => {
    const kvOnly = { get: async () => undefined, set: async () => {}, delete: async () => {} };
    let error: unknown;
    try {
      createResourceServer(
        config({
          dpop: { mode: 'allowed', algorithms: ['HS256', 'none'], nonce: { secret: 'short' } },
          store: kvOnly,
          dpopBoundAccessTokensRequired: true,
        }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PrmkitConfigError);
    const paths = (error as PrmkitConfigError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'dpop.algorithms.0',
        'dpop.algorithms.1',
        'dpop.nonce.secret',
        'store',
        'dpopBoundAccessTokensRequired',
      ]),
    );
  });
});

describe('DPoP allowed', () => {
  let rs: ResourceServer;
  beforeAll(() => {
    rs = createResourceServer(
      config({ dpop: { mode: 'allowed', algorithms: ['ES256', 'PS256', 'EdDSA'] } }),
    );
  });

  it('accepts a DPoP-bound token with a correct proof', async () => {
    const result = await rs.authorize(await dpopRequest(await bound()));
    expect(result.ok).toBe(true);
  });

  it('accepts RSA-PSS and Ed25519 proof keys', async () => {
    for (const alg of ['PS256', 'EdDSA']) {
      const k = await createDpopTestKey(alg);
      const result = await rs.authorize(await dpopRequest(await bound(k), {}, { k }));
      expect(result.ok, alg).toBe(true);
    }
  });

  it('still accepts plain Bearer tokens, and both challenges are sent', async () => {
    const ok = await rs.authorize({
      method: 'GET',
      url: '/mcp',
      headers: { authorization: `Bearer ${await issuer.mint()}` },
    });
    expect(ok.ok).toBe(true);
    const none = await rs.authorize({ method: 'GET', url: '/mcp', headers: {} });
    const parsed = challenges(none);
    expect(parsed.map((c) => c.scheme)).toEqual(['Bearer', 'DPoP']);
    for (const c of parsed) {
      expect(c.params.resource_metadata).toBe(rs.metadataUrl);
      expect(c.params.error).toBeUndefined();
    }
    expect(parsed[1]?.params.algs).toBe('ES256 PS256 EdDSA');
  });

  it('refuses a DPoP-bound token presented as Bearer (invalid_token on Bearer)', async () => {
    const result = refusal(
      await rs.authorize({
        method: 'GET',
        url: '/mcp',
        headers: { authorization: `Bearer ${await bound()}` },
      }),
    );
    expect(result.status).toBe(401);
    expect(result.error.code).toBe('dpop_bound_token_as_bearer');
    const parsed = challenges(result);
    expect(findChallenge(parsed, 'Bearer')?.params.error).toBe('invalid_token');
    expect(findChallenge(parsed, 'DPoP')?.params.error).toBeUndefined();
  });

  it('refuses an unbound token with the DPoP scheme (invalid_token)', async () => {
    const result = refusal(await rs.authorize(await dpopRequest(await issuer.mint())));
    expect(result.error.code).toBe('dpop_token_not_bound');
    expect(dpopParams(result)?.error).toBe('invalid_token');
    expect(findChallenge(challenges(result), 'Bearer')?.params.error).toBeUndefined();
  });

  it('refuses a token bound to another key (invalid_dpop_proof)', async () => {
    const result = refusal(await rs.authorize(await dpopRequest(await bound(other))));
    expect(result.error.code).toBe('dpop_key_mismatch');
    expect(dpopParams(result)?.error).toBe('invalid_dpop_proof');
    expect(dpopParams(result)?.algs).toBe('ES256 PS256 EdDSA');
  });

  it('refuses a replayed proof', async () => {
    const req = await dpopRequest(await bound());
    expect((await rs.authorize(req)).ok).toBe(true);
    const again = refusal(await rs.authorize(req));
    expect(again.error.code).toBe('dpop_proof_replayed');
    expect(dpopParams(again)?.error).toBe('invalid_dpop_proof');
  });

  it('refuses a bad token with a good proof (invalid_token on DPoP)', async () => {
    const token = await issuer.mint({ cnf: { jkt: key.jkt } }, { key: 'other' });
    const result = refusal(await rs.authorize(await dpopRequest(token)));
    expect(result.status).toBe(401);
    expect(result.error.code).toBe('signature_invalid');
    expect(dpopParams(result)?.error).toBe('invalid_token');
  });

  it('refuses a token bound to DPoP and to something else (mTLS)', async () => {
    const token = await issuer.mint({ cnf: { jkt: key.jkt, 'x5t#S256': 'abc' } });
    const result = refusal(await rs.authorize(await dpopRequest(token)));
    expect(result.error.code).toBe('claim_invalid');
  });

  it('insufficient scope on a DPoP request is answered on the DPoP challenge', async () => {
    const token = await bound(key, { scope: 'other' });
    const result = refusal(await rs.authorize(await dpopRequest(token)));
    expect(result.status).toBe(403);
    expect(dpopParams(result)?.error).toBe('insufficient_scope');
  });

  const proofCases: [
    string,
    () => Promise<{ method: string; url: string; headers: Record<string, string> }>,
    string,
  ][] = [
    [
      'missing proof',
      async () => {
        const token = await bound();
        return { method: 'GET', url: '/mcp', headers: { authorization: `DPoP ${token}` } };
      },
      'dpop_proof_missing',
    ],
    [
      'two proofs',
      async () => {
        const r = await dpopRequest(await bound());
        return { ...r, headers: { ...r.headers, dpop: `${r.headers.dpop}, ${r.headers.dpop}` } };
      },
      'dpop_proof_invalid',
    ],
    [
      'not a JWS',
      async () => {
        const r = await dpopRequest(await bound());
        return { ...r, headers: { ...r.headers, dpop: 'abc' } };
      },
      'dpop_proof_invalid',
    ],
    ['wrong typ', async () => dpopRequest(await bound(), { typ: 'JWT' }), 'dpop_proof_invalid'],
    ['missing typ', async () => dpopRequest(await bound(), { typ: null }), 'dpop_proof_invalid'],
    [
      'alg not in the allow-list',
      async () => {
        const k = await createDpopTestKey('ES384');
        return dpopRequest(await bound(k), {}, { k });
      },
      'dpop_proof_invalid',
    ],
    ['no jwk', async () => dpopRequest(await bound(), { jwk: null }), 'dpop_proof_invalid'],
    [
      'private jwk',
      async () => dpopRequest(await bound(), { jwk: key.privateJwk }),
      'dpop_proof_invalid',
    ],
    [
      'jwk of another key type',
      async () => dpopRequest(await bound(), { jwk: (await createDpopTestKey('EdDSA')).publicJwk }),
      'dpop_proof_invalid',
    ],
    [
      'signature by another key',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return dpopRequest(await bound(), { signWith: privateKey });
      },
      'dpop_proof_invalid',
    ],
    [
      'htm mismatch',
      async () => dpopRequest(await bound(), { method: 'POST' }),
      'dpop_proof_invalid',
    ],
    [
      'htu of another path',
      async () => dpopRequest(await bound(), { url: 'http://127.0.0.1:4100/other' }),
      'dpop_proof_invalid',
    ],
    [
      'htu of another origin (the Host header is not trusted)',
      async () => {
        const r = await dpopRequest(await bound(), { url: 'http://evil.example/mcp' });
        return { ...r, headers: { ...r.headers, host: 'evil.example' } };
      },
      'dpop_proof_invalid',
    ],
    [
      'iat too old',
      async () => dpopRequest(await bound(), { iat: now() - 301 }),
      'dpop_proof_invalid',
    ],
    [
      'iat in the future',
      async () => dpopRequest(await bound(), { iat: now() + 120 }),
      'dpop_proof_invalid',
    ],
    [
      'no ath',
      async () => dpopRequest(await bound(), { claims: { ath: undefined } }),
      'dpop_proof_invalid',
    ],
    [
      'ath of another token',
      async () => dpopRequest(await bound(), { accessToken: 'another-token' }),
      'dpop_proof_invalid',
    ],
    [
      'no jti',
      async () => dpopRequest(await bound(), { claims: { jti: undefined } }),
      'dpop_proof_invalid',
    ],
    [
      'non-numeric iat',
      async () => dpopRequest(await bound(), { claims: { iat: 'now' } }),
      'dpop_proof_invalid',
    ],
  ];
  for (const [name, make, code] of proofCases) {
    it(`refuses a proof: ${name} (401 invalid_dpop_proof)`, async () => {
      const result = refusal(await rs.authorize(await make()));
      expect(result.status).toBe(401);
      expect(result.error.code).toBe(code);
      expect(dpopParams(result)?.error).toBe('invalid_dpop_proof');
      expect(findChallenge(challenges(result), 'Bearer')?.params.resource_metadata).toBe(
        rs.metadataUrl,
      );
    });
  }

  it('ignores the query of the request URI and of htu, and accepts an absolute request URL', async () => {
    const token = await bound();
    const proof = await key.proof({
      method: 'GET',
      url: 'http://127.0.0.1:4100/mcp?x=1#f',
      accessToken: token,
    });
    const result = await rs.authorize({
      method: 'GET',
      url: 'http://attacker.example/mcp?y=2',
      headers: { authorization: `DPoP ${token}`, dpop: proof },
    });
    expect(result.ok).toBe(true);
  });

  it('accepts iat at the edges of the window', async () => {
    expect((await rs.authorize(await dpopRequest(await bound(), { iat: now() - 290 }))).ok).toBe(
      true,
    );
    expect((await rs.authorize(await dpopRequest(await bound(), { iat: now() + 20 }))).ok).toBe(
      true,
    );
  });

  it('checks every request through a Web Headers object too', async () => {
    const r = await dpopRequest(await bound());
    expect((await rs.authorize({ ...r, headers: new Headers(r.headers) })).ok).toBe(true);
  });
});

describe('DPoP required', () => {
  let rs: ResourceServer;
  beforeAll(() => {
    rs = createResourceServer(config({ dpop: { mode: 'required' } }));
  });

  it('refuses Bearer with only a DPoP challenge, no error code', async () => {
    const result = refusal(
      await rs.authorize({
        method: 'GET',
        url: '/mcp',
        headers: { authorization: `Bearer ${await issuer.mint()}` },
      }),
    );
    expect(result.status).toBe(401);
    expect(result.error.code).toBe('dpop_required');
    const parsed = challenges(result);
    expect(parsed.map((c) => c.scheme)).toEqual(['DPoP']);
    expect(parsed[0]?.params.error).toBeUndefined();
    expect(parsed[0]?.params.resource_metadata).toBe(rs.metadataUrl);
  });

  it('accepts DPoP and answers malformed requests on the DPoP challenge', async () => {
    expect((await rs.authorize(await dpopRequest(await bound()))).ok).toBe(true);
    const bad = refusal(
      await rs.authorize({ method: 'GET', url: '/mcp', headers: { authorization: 'DPoP a b' } }),
    );
    expect(bad.status).toBe(401);
    expect(dpopParams(bad)?.error).toBe('invalid_token');
    const twice = refusal(
      await rs.authorize({
        method: 'GET',
        url: '/mcp',
        headers: { authorization: ['DPoP a', 'DPoP b'] },
      }),
    );
    expect(twice.status).toBe(400);
    expect(dpopParams(twice)?.error).toBe('invalid_request');
  });
});

describe('DPoP nonces', () => {
  const secret = 'a-shared-secret-of-at-least-32-characters';
  let a: ResourceServer;
  let b: ResourceServer;
  beforeAll(() => {
    const store = createMemoryStore();
    a = createResourceServer(config({ dpop: { mode: 'required', nonce: { secret } }, store }));
    b = createResourceServer(config({ dpop: { mode: 'required', nonce: { secret } }, store }));
  });

  it('asks for a nonce with use_dpop_nonce and DPoP-Nonce, then accepts it on another instance', async () => {
    const token = await bound();
    const first = refusal(await a.authorize(await dpopRequest(token)));
    expect(first.status).toBe(401);
    expect(first.error.code).toBe('dpop_nonce_required');
    expect(dpopParams(first)?.error).toBe('use_dpop_nonce');
    const nonce = first.headers['dpop-nonce'];
    expect(nonce).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
    expect(first.headers['access-control-expose-headers']).toMatch(/DPoP-Nonce/);
    expect((await b.authorize(await dpopRequest(token, { nonce }))).ok).toBe(true);
  });

  it('refuses a forged, stale or foreign nonce', async () => {
    const token = await bound();
    const first = refusal(await a.authorize(await dpopRequest(token)));
    const nonce = first.headers['dpop-nonce'] as string;
    const [ts, mac] = nonce.split('.') as [string, string];
    const forged = `${Number(ts) + 1}.${mac}`;
    const stale = refusal(await a.authorize(await dpopRequest(token, { nonce: forged })));
    expect(dpopParams(stale)?.error).toBe('use_dpop_nonce');
    const other = createResourceServer(config({ dpop: { mode: 'required', nonce: {} } }));
    const foreign = refusal(await other.authorize(await dpopRequest(token, { nonce })));
    expect(dpopParams(foreign)?.error).toBe('use_dpop_nonce');
  });
});

describe('DPoP replay store fails closed', () => {
  it('refuses when the store fails', async () => {
    const broken = {
      ...createMemoryStore(),
      get: async () => undefined,
      set: async () => {},
      delete: async () => {},
      addIfAbsent: async () => {
        throw new Error('down');
      },
      increment: async () => 1,
    };
    const rs = createResourceServer(config({ dpop: { mode: 'allowed' }, store: broken }));
    const result = refusal(await rs.authorize(await dpopRequest(await bound())));
    // Not the client's fault (issue #16): 503 with Retry-After, still refused.
    expect(result.status).toBe(503);
    expect(result.headers['retry-after']).toMatch(/^\d+$/);
    expect(result.error.code).toBe('store_unavailable');
  });
});
