import { createTestIssuer, type TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthorizeDecision,
  createResourceServer,
  DECISION_REASONS,
  type ResourceServerConfig,
} from '../../src/index.js';
import { tokenFingerprint } from '../../src/observe/fingerprint.js';

const RESOURCE = 'http://127.0.0.1:4000/mcp';
let issuer: TestIssuer;
let other: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools', alg: 'ES256' });
  other = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools', alg: 'ES256' });
});
afterAll(async () => {
  await issuer.close();
  await other.close();
});

function serverWith(overrides: Partial<ResourceServerConfig> = {}) {
  const decisions: AuthorizeDecision[] = [];
  const rs = createResourceServer({
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    allowHttp: 'loopback',
    requiredScopes: ['mcp:tools'],
    jwt: { jwksUri: issuer.jwksUri },
    httpTimeout: 500,
    onDecision: (d) => decisions.push(d),
    ...overrides,
  });
  return { rs, decisions };
}

const get = (token?: string, headers: Record<string, string> = {}) => ({
  method: 'GET',
  url: '/mcp?secret=query',
  headers: token === undefined ? headers : { ...headers, authorization: `Bearer ${token}` },
});

/** The one event of one request. */
async function eventOf(
  token: string | undefined,
  overrides: Partial<ResourceServerConfig> = {},
  headers: Record<string, string> = {},
): Promise<AuthorizeDecision> {
  const { rs, decisions } = serverWith(overrides);
  await rs.authorize(get(token, headers));
  expect(decisions).toHaveLength(1);
  return decisions[0]!;
}

describe('decision events', () => {
  it('a granted request: subject, client_id, received values, fingerprint, never the token', async () => {
    const token = await issuer.mint({ client_id: 'client-7' });
    const { rs, decisions } = serverWith();
    await rs.authorize(get(token));
    await rs.authorize(get(token));
    const [first, second] = decisions;
    expect(first).toMatchObject({
      ok: true,
      status: 200,
      path: '/mcp',
      subject: 'user-123',
      clientId: 'client-7',
      cacheHit: false,
      tokenFingerprint: tokenFingerprint(token),
      expected: {
        issuers: [issuer.issuer],
        audience: RESOURCE,
        scopes: ['mcp:tools'],
        types: ['at+jwt'],
      },
      received: {
        issuer: issuer.issuer,
        audience: [RESOURCE],
        scopes: ['mcp:tools'],
        clientId: 'client-7',
        typ: 'at+jwt',
        alg: 'ES256',
        kid: issuer.kid,
      },
    });
    expect(first!.reason).toBeUndefined();
    expect(first!.durationMs).toBeGreaterThanOrEqual(0);
    expect(second!.cacheHit).toBe(true);
    const text = JSON.stringify(decisions);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2]!);
    expect(text).not.toContain('secret=query');
    expect(first!.tokenFingerprint).toMatch(/^[0-9a-f]{12}$/);
  });

  it('issuer mismatch names the expected and the received issuer', async () => {
    const d = await eventOf(await other.mint());
    expect(d).toMatchObject({
      ok: false,
      status: 401,
      reason: 'issuer_mismatch',
      code: 'issuer_mismatch',
      expected: { issuers: [issuer.issuer] },
      received: { issuer: other.issuer },
      cacheHit: false,
    });
    expect(d.subject).toBeUndefined();
  });

  it('audience mismatch names the resource and the received audience', async () => {
    const d = await eventOf(await issuer.mint({ aud: 'http://127.0.0.1:4000/other' }));
    expect(d).toMatchObject({
      reason: 'audience_mismatch',
      expected: { audience: RESOURCE },
      received: { audience: ['http://127.0.0.1:4000/other'] },
    });
  });

  it('insufficient scope names the required and the granted scopes', async () => {
    const d = await eventOf(await issuer.mint({ scope: 'other' }));
    expect(d).toMatchObject({
      status: 403,
      reason: 'insufficient_scope',
      expected: { scopes: ['mcp:tools'] },
      received: { scopes: ['other'] },
    });
  });

  it('wrong typ, disallowed alg and unknown kid carry the header values', async () => {
    expect(await eventOf(await issuer.mint({}, { typ: 'JWT' }))).toMatchObject({
      reason: 'type_not_allowed',
      received: { typ: 'JWT' },
      expected: { types: ['at+jwt'] },
    });
    expect(
      await eventOf(await issuer.mint(), {
        jwt: { jwksUri: issuer.jwksUri, algorithms: ['RS256'] },
      }),
    ).toMatchObject({
      reason: 'algorithm_not_allowed',
      received: { alg: 'ES256' },
      expected: { algorithms: ['RS256'] },
    });
    expect(await eventOf(await issuer.mint({}, { kid: 'nope' }))).toMatchObject({
      reason: 'key_not_found',
      received: { kid: 'nope' },
    });
  });

  it('no token, a malformed token, a too long token', async () => {
    const missing = await eventOf(undefined);
    expect(missing).toMatchObject({ status: 401, reason: 'token_missing' });
    expect(missing.received).toBeUndefined();
    expect(missing.tokenFingerprint).toBeUndefined();
    expect(await eventOf('not-a-jwt')).toMatchObject({ status: 401, reason: 'token_malformed' });
    expect(await eventOf('x'.repeat(9000))).toMatchObject({ reason: 'token_too_large' });
  });

  it('an outage is a 503 event with the internal detail for operators only', async () => {
    const down = await createTestIssuer({ audience: RESOURCE, alg: 'ES256' });
    try {
      down.setJwksMode('error500');
      const d = await eventOf(await down.mint(), {
        authorizationServers: [down.issuer],
        jwt: { jwksUri: down.jwksUri },
      });
      expect(d).toMatchObject({ status: 503, reason: 'jwks_unavailable' });
      expect(d.detail).toBeTypeOf('string');
    } finally {
      await down.close();
    }
  });

  it('a custom verifier throwing a code outside the list still yields one listed reason', async () => {
    const { PrmkitError } = await import('../../src/index.js');
    const d = await eventOf('abc', {
      verifier: { verify: () => Promise.reject(new PrmkitError('header_value_invalid', 'x')) },
    });
    expect(d.reason).toBe('verifier_rejected');
  });

  it('received values from a hostile token are bounded', async () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${enc({ alg: 'ES256', typ: 'at+jwt', kid: 'k'.repeat(1000) })}.${enc({
      iss: issuer.issuer,
      aud: Array.from({ length: 100 }, (_, i) => `a${i}`),
    })}.${'A'.repeat(86)}`;
    const d = await eventOf(token);
    expect(d.received!.kid!.length).toBeLessThanOrEqual(201);
    expect(d.received!.audience!.length).toBe(10);
  });

  it('every reason an event carries is in DECISION_REASONS, listed once', () => {
    expect(new Set(DECISION_REASONS).size).toBe(DECISION_REASONS.length);
    for (const r of ['token_missing', 'issuer_mismatch', 'jwks_unavailable', 'rate_limited'])
      expect(DECISION_REASONS).toContain(r);
  });

  it('no listener: authorize builds no event and still decides', async () => {
    const rs = createResourceServer({
      resource: RESOURCE,
      authorizationServers: [issuer.issuer],
      allowHttp: 'loopback',
      jwt: { jwksUri: issuer.jwksUri },
    });
    expect((await rs.authorize(get(await issuer.mint()))).ok).toBe(true);
  });
});

describe('upstream outages are 503 with Retry-After, whatever failed', () => {
  it('introspection endpoint refusing connections: 503 introspection_failed, no challenge', async () => {
    const { rs, decisions } = serverWith({
      jwt: undefined,
      introspection: {
        endpoint: 'http://127.0.0.1:9/introspect',
        clientAuth: { method: 'client_secret_basic', clientId: 'rs', clientSecret: 'secret' },
      },
    });
    const result = await rs.authorize(get('opaque-token'));
    expect(!result.ok && result.status).toBe(503);
    if (result.ok) return;
    expect(result.error.code).toBe('introspection_failed');
    expect(result.headers['retry-after']).toMatch(/^\d+$/);
    expect(result.headers['www-authenticate']).toBeUndefined();
    expect(result.body).not.toContain('127.0.0.1:9');
    expect(decisions[0]).toMatchObject({ status: 503, reason: 'introspection_failed' });
  });

  it('discovery failing, then cooling down: 503 with the rest of the cooldown as Retry-After', async () => {
    const { rs } = serverWith({
      authorizationServers: ['http://127.0.0.1:9/issuer'],
      jwt: {},
    });
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${enc({ alg: 'ES256', typ: 'at+jwt' })}.${enc({ iss: 'http://127.0.0.1:9/issuer' })}.${'A'.repeat(86)}`;
    const first = await rs.authorize(get(token));
    const second = await rs.authorize(get(token));
    for (const r of [first, second]) {
      expect(!r.ok && r.status).toBe(503);
      expect(!r.ok && r.error.code).toBe('discovery_failed');
    }
    if (second.ok) return;
    const retry = Number(second.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(10);
    expect(second.body).not.toContain('127.0.0.1:9');
  });
});
