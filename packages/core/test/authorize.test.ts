import { createTestIssuer, type TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalsOf } from '../src/server/resource-server.js';
import {
  type AuthorizeDecision,
  type AuthorizeResult,
  createResourceServer,
  parseWwwAuthenticate,
  type ResourceServer,
  type ResourceServerConfig,
} from '../src/index.js';

const RESOURCE = 'http://127.0.0.1:4000/mcp';
let issuer: TestIssuer;
let rs: ResourceServer;
const decisions: AuthorizeDecision[] = [];

function config(overrides: Partial<ResourceServerConfig> = {}): ResourceServerConfig {
  return {
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    allowHttp: 'loopback',
    requiredScopes: ['mcp:tools'],
    toolScopes: { admin_stats: ['mcp:admin'] },
    jwt: { jwksUri: issuer.jwksUri },
    httpTimeout: 500,
    onDecision: (d) => decisions.push(d),
    ...overrides,
  };
}

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools' });
  rs = createResourceServer(config());
});
afterAll(() => issuer.close());

const req = (
  headers: Record<string, string | string[]> = {},
  extra: { method?: string; url?: string; body?: unknown } = {},
) => ({
  method: extra.method ?? 'GET',
  url: extra.url ?? '/mcp',
  headers,
  body: extra.body,
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function challenge(result: AuthorizeResult) {
  if (result.ok) throw new Error('expected a refusal');
  const parsed = parseWwwAuthenticate(result.headers['www-authenticate']);
  expect(parsed).toHaveLength(1);
  expect(parsed[0]!.scheme).toBe('Bearer');
  return parsed[0]!.params;
}

describe('authorize', () => {
  it('no credentials: 401 with resource_metadata and scope, and no error code (RFC 6750 §3.1)', async () => {
    const result = await rs.authorize(req());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(401);
    expect(challenge(result)).toEqual({ resource_metadata: rs.metadataUrl, scope: 'mcp:tools' });
    expect(result.error.code).toBe('token_missing');
  });

  it('every failure sets CORS exposure, no-store and a JSON body', async () => {
    for (const r of [await rs.authorize(req()), await rs.authorize(req(bearer('abc.def.ghi')))]) {
      if (r.ok) throw new Error('expected refusal');
      expect(r.headers['access-control-expose-headers']).toBe('WWW-Authenticate');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['content-type']).toBe('application/json');
      const body = JSON.parse(r.body);
      expect(typeof body.error).toBe('string');
      expect(typeof body.error_description).toBe('string');
    }
  });

  it('a good token: ok with the auth info', async () => {
    const token = await issuer.mint({ azp: 'x' });
    const result = await rs.authorize(req(bearer(token)));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.auth).toMatchObject({
      token,
      subject: 'user-123',
      clientId: 'client-abc',
      scopes: ['mcp:tools'],
      audience: [RESOURCE],
      issuer: issuer.issuer,
    });
    expect(result.auth.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('a token with azp but no client_id is refused (RFC 9068 §2.2): azp counts only through a profile', async () => {
    const token = await issuer.mint({ client_id: undefined, azp: 'the-azp' });
    const result = await rs.authorize(req(bearer(token)));
    expect(!result.ok && result.error.code).toBe('claim_missing');
  });

  it.each([
    ['bad signature', () => issuer.mint({}, { key: 'other' })],
    ['expired', () => issuer.mint({ exp: Math.floor(Date.now() / 1000) - 120 })],
    ['wrong issuer', () => issuer.mint({ iss: 'http://127.0.0.1:1/other' })],
    ['wrong audience', () => issuer.mint({ aud: 'http://127.0.0.1:4000/other' })],
    ['sibling audience', () => issuer.mint({ aud: 'http://127.0.0.1:4000/mcp-admin' })],
    ['trailing-slash audience', () => issuer.mint({ aud: 'http://127.0.0.1:4000/mcp/' })],
    ['alg none', () => issuer.mint({}, { alg: 'none' })],
    [
      'HS256 with the public key',
      async () =>
        issuer.mint(
          {},
          { alg: 'HS256', key: new TextEncoder().encode(JSON.stringify(issuer.publicJwk)) },
        ),
    ],
    ['not a JWT', async () => 'abc.def.ghi'],
  ])('%s: 401 invalid_token', async (_name, make) => {
    const result = await rs.authorize(req(bearer(await make())));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(401);
    const params = challenge(result);
    expect(params.error).toBe('invalid_token');
    expect(params.resource_metadata).toBe(rs.metadataUrl);
    expect(params.error_description).toBeTruthy();
  });

  it('bad token characters: 401 invalid_token (a malformed token, RFC 6750 §3.1)', async () => {
    const result = await rs.authorize(req({ authorization: 'Bearer a b"c' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([result.status, result.error.code]).toEqual([401, 'token_malformed']);
    expect(challenge(result).error).toBe('invalid_token');
  });

  it.each([
    ['two Authorization headers', { authorization: ['Bearer a', 'Bearer b'] }],
    ['a header that is not scheme SP credentials', { authorization: 'Bearer\tabc' }],
  ])('%s: 400 invalid_request', async (_name, headers) => {
    const result = await rs.authorize(req(headers));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(400);
    expect(challenge(result).error).toBe('invalid_request');
  });

  it.each([
    ['Basic', 'Basic dXNlcjpwYXNz'],
    ['Digest', 'Digest username="u", realm="r"'],
    ['DPoP (not enabled)', 'DPoP abc.def.ghi'],
  ])(
    'an unsupported scheme (%s) is no bearer credential: bare 401 challenge, no error code (RFC 6750 §3.1)',
    async (_name, authorization) => {
      const result = await rs.authorize(req({ authorization }));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.status).toBe(401);
      expect(challenge(result)).toEqual({ resource_metadata: rs.metadataUrl, scope: 'mcp:tools' });
      expect(result.error.code).toBe('token_missing');
    },
  );

  it('a query token is refused (MCP forbids it) with 400', async () => {
    const token = await issuer.mint();
    const result = await rs.authorize(req({}, { url: `/mcp?access_token=${token}` }));
    expect(!result.ok && result.status).toBe(400);
  });

  it('missing endpoint scope: 403 insufficient_scope naming every scope needed', async () => {
    const token = await issuer.mint({ scope: 'mcp:tools' });
    const result = await rs.authorize(req(bearer(token)), { scopes: ['mcp:write'] });
    expect(!result.ok && result.status).toBe(403);
    const params = challenge(result);
    expect(params).toMatchObject({
      error: 'insufficient_scope',
      scope: 'mcp:tools mcp:write',
      resource_metadata: rs.metadataUrl,
    });
  });

  it('missing tool scope on tools/call: 403 with endpoint plus tool scopes', async () => {
    const token = await issuer.mint({ scope: 'mcp:tools' });
    const body = {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'admin_stats', arguments: {} },
    };
    const result = await rs.authorize(req(bearer(token), { method: 'POST', body }));
    expect(!result.ok && result.status).toBe(403);
    expect(challenge(result).scope).toBe('mcp:tools mcp:admin');
    const ok = await rs.authorize(
      req(bearer(await issuer.mint({ scope: 'mcp:tools mcp:admin' })), { method: 'POST', body }),
    );
    expect(ok.ok).toBe(true);
    const echo = await rs.authorize(
      req(bearer(token), { method: 'POST', body: { ...body, params: { name: 'echo' } } }),
    );
    expect(echo.ok).toBe(true);
  });

  it('an uninspectable POST body cannot bypass tool scopes', async () => {
    const token = await issuer.mint({ scope: 'mcp:tools' });
    for (const body of [undefined, 'not json', [{ method: 'tools/call', params: {} }]]) {
      const result = await rs.authorize(req(bearer(token), { method: 'POST', body }));
      expect(!result.ok && result.status).toBe(403);
    }
  });

  it('fails closed within the timeout when the JWKS is down', async () => {
    const down = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools' });
    try {
      down.setJwksMode('hang');
      const server = createResourceServer(
        config({ authorizationServers: [down.issuer], jwt: { jwksUri: down.jwksUri } }),
      );
      const result = await server.authorize(req(bearer(await down.mint())));
      // Not the client's fault: 503 + Retry-After, no invalid_token, no internal URL.
      expect(!result.ok && result.status).toBe(503);
      expect(!result.ok && result.error.code).toBe('jwks_unavailable');
      if (result.ok) throw new Error('granted');
      expect(Number(result.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(result.headers['www-authenticate']).toBeUndefined();
      expect(result.body).not.toContain('invalid_token');
      expect(result.body).not.toContain(down.origin);
      expect(JSON.parse(result.body)).toMatchObject({ error: 'temporarily_unavailable' });
    } finally {
      await down.close();
    }
  });

  it('discovers the JWKS from the issuer when jwt.jwksUri is absent', async () => {
    const server = createResourceServer(config({ jwt: {} }));
    const result = await server.authorize(req(bearer(await issuer.mint())));
    expect(result.ok).toBe(true);
  });

  it('reports each decision without the token', async () => {
    decisions.length = 0;
    const token = await issuer.mint();
    await rs.authorize(req(bearer(token)));
    await rs.authorize(req());
    expect(decisions.map((d) => [d.ok, d.status, d.code])).toEqual([
      [true, 200, undefined],
      [false, 401, 'token_missing'],
    ]);
    expect(JSON.stringify(decisions)).not.toContain(token);
    expect(decisions[0]!.subject).toBe('user-123');
  });

  it('a throwing custom verifier fails closed', async () => {
    const server = createResourceServer(
      config({ verifier: { verify: () => Promise.reject(new Error('db down')) } }),
    );
    const result = await server.authorize(req(bearer('abc')));
    expect(!result.ok && result.status).toBe(503);
    expect(!result.ok && result.error.code).toBe('verifier_failed');
  });

  it('authorizeNow answers in the same tick when no I/O is needed, and agrees with authorize', async () => {
    const server = internalsOf(createResourceServer(config()));
    const missing = server.authorizeNow(req());
    expect(missing).not.toBeInstanceOf(Promise);
    expect(missing).toEqual(await server.authorize(req()));
    const token = await issuer.mint();
    const first = server.authorizeNow(req(bearer(token)));
    expect(first).toBeInstanceOf(Promise); // a new token: verified over the JWKS
    expect((await first).ok).toBe(true);
    const cached = server.authorizeNow(req(bearer(token)));
    expect(cached).not.toBeInstanceOf(Promise); // verified before: no promise round trip
    expect(cached).toEqual(await server.authorize(req(bearer(token))));
    const lacking = server.authorizeNow(req(bearer(token)), { scopes: ['mcp:admin'] });
    expect(!(lacking instanceof Promise) && !lacking.ok && lacking.status).toBe(403);
  });

  it('a scopesForMessage hook echoing hostile message text still yields a writable refusal, never a throw', async () => {
    const server = createResourceServer(
      config({
        // A plausible hook: one scope per resource the message names, taken from the request.
        scopesForMessage: (m) => {
          const uri = (m as { params?: { uri?: unknown } }).params?.uri;
          return typeof uri === 'string' ? [`read:${uri}`] : undefined;
        },
      }),
    );
    const body = {
      jsonrpc: '2.0',
      id: 1,
      method: 'resources/read',
      params: { uri: 'a"b\\c\r\nX-Injected: 1' },
    };
    for (const headers of [{}, bearer(await issuer.mint())]) {
      const result = await server.authorize(req(headers, { method: 'POST', body }));
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect([401, 403]).toContain(result.status);
      const header = result.headers['www-authenticate']!;
      expect(header).not.toMatch(/[\r\n]/);
      expect(challenge(result).resource_metadata).toBe(server.metadataUrl);
    }
  });

  it('authorize() reports a throwing scopesForMessage hook as a rejected promise, not a synchronous throw', async () => {
    const server = createResourceServer(
      config({
        scopesForMessage: () => {
          throw new Error('hook bug');
        },
      }),
    );
    const body = { jsonrpc: '2.0', id: 1, method: 'ping' };
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = server.authorize(req({}, { method: 'POST', body }));
    }).not.toThrow();
    await expect(pending).rejects.toThrow('hook bug');
  });

  it('never yields ok for hostile headers', async () => {
    const hostile = [
      '',
      'Bearer',
      'Bearer ',
      'bearer\t',
      'Bearer ' + 'a'.repeat(10_000),
      'Bearer a.b.c',
      'Bearer \u0000',
      'Bearer é',
      `Bearer ${'.'.repeat(50)}`,
    ];
    for (const authorization of hostile) {
      const result = await rs.authorize(req({ authorization }));
      expect(result.ok).toBe(false);
    }
  });
});
