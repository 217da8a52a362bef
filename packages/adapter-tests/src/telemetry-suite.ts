import type { AuthorizeDecision, DecisionReason, ResourceServerConfig } from '@prmkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture } from './fixture.js';
import type { SuiteFixture } from './fixture.js';
import type { AdapterHarness } from './harness.js';
import { send } from './http.js';
import type { SuiteRequest, SuiteResponse } from './http.js';

/** One request and the decision event every adapter must report for it. */
export interface ReasonCase {
  readonly name: string;
  request(fx: SuiteFixture): Promise<SuiteRequest>;
  readonly status: number;
  /** `undefined`: granted. */
  readonly reason: DecisionReason | undefined;
  /** Further members the event must have. */
  expect?(fx: SuiteFixture): Record<string, unknown>;
}

const now = (): number => Math.floor(Date.now() / 1000);
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const FOREIGN_ISSUER = 'http://127.0.0.1:9/not-the-issuer';
/** A 2026-07-28 tools/call whose Mcp-Name header names `header` and whose body calls `body`. */
const mcpPost = (token: string, header: string, body: string): SuiteRequest => ({
  method: 'POST',
  path: '/mcp',
  headers: {
    ...bearer(token),
    'content-type': 'application/json',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': header,
  },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: body } }),
});

/**
 * Requests with one reason each: the stable taxonomy, as every adapter reports it.
 *
 * @example
 * ```ts
 * for (const c of REASON_CASES) it(c.name, async () => { await send(fx.origin, await c.request(fx)); });
 * ```
 * @see RFC 6750 §3.1, RFC 9068 §4
 */
export const REASON_CASES: readonly ReasonCase[] = [
  {
    name: 'Mcp-Name echo over an admin_stats body: header_mismatch, one event',
    request: async (fx) => mcpPost(await fx.mint(), 'echo', 'admin_stats'),
    status: 400,
    reason: 'header_mismatch',
  },
  {
    name: 'Mcp-Name agreeing with the body: granted, one event (decided from the header)',
    request: async (fx) => mcpPost(await fx.mint(), 'echo', 'echo'),
    status: 200,
    reason: undefined,
    expect: () => ({ subject: 'user-123' }),
  },
  {
    name: 'granted: subject and client_id, no reason',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint()) }),
    status: 200,
    reason: undefined,
    expect: (fx) => ({
      subject: 'user-123',
      clientId: 'client-abc',
      received: { issuer: fx.issuer.issuer, audience: [fx.resource], alg: fx.issuer.alg },
    }),
  },
  {
    name: 'no token: token_missing',
    request: async () => ({ path: '/mcp' }),
    status: 401,
    reason: 'token_missing',
  },
  {
    name: 'garbage: token_malformed',
    request: async () => ({ path: '/mcp', headers: bearer('not.a.jwt') }),
    status: 401,
    reason: 'token_malformed',
  },
  {
    name: 'two Authorization headers: multiple_authorization_headers',
    request: async (fx) => ({
      path: '/mcp',
      headers: { authorization: [`Bearer ${await fx.mint()}`, `Bearer ${await fx.mint()}`] },
    }),
    status: 400,
    reason: 'multiple_authorization_headers',
  },
  {
    name: 'bad signature: signature_invalid',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint({}, { key: 'other' })) }),
    status: 401,
    reason: 'signature_invalid',
  },
  {
    name: 'expired: token_expired',
    request: async (fx) => ({
      path: '/mcp',
      headers: bearer(await fx.mint({ iat: now() - 7200, exp: now() - 3600 })),
    }),
    status: 401,
    reason: 'token_expired',
  },
  {
    name: 'wrong issuer: issuer_mismatch with both issuers',
    request: async (fx) => ({
      path: '/mcp',
      headers: bearer(await fx.mint({ iss: FOREIGN_ISSUER })),
    }),
    status: 401,
    reason: 'issuer_mismatch',
    expect: (fx) => ({
      expected: { issuers: [fx.issuer.issuer] },
      received: { issuer: FOREIGN_ISSUER },
    }),
  },
  {
    name: 'wrong audience: audience_mismatch with both audiences',
    request: async (fx) => ({
      path: '/mcp',
      headers: bearer(await fx.mint({ aud: 'https://other.example/mcp' })),
    }),
    status: 401,
    reason: 'audience_mismatch',
    expect: (fx) => ({
      expected: { audience: fx.resource },
      received: { audience: ['https://other.example/mcp'] },
    }),
  },
  {
    name: 'alg none: algorithm_not_allowed',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint({}, { alg: 'none' })) }),
    status: 401,
    reason: 'algorithm_not_allowed',
    expect: () => ({ received: { alg: 'none' } }),
  },
  {
    name: 'typ JWT: type_not_allowed',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint({}, { typ: 'JWT' })) }),
    status: 401,
    reason: 'type_not_allowed',
    expect: () => ({ received: { typ: 'JWT' }, expected: { types: ['at+jwt'] } }),
  },
  {
    name: 'unknown kid: key_not_found',
    request: async (fx) => ({ path: '/mcp', headers: bearer(await fx.mint({}, { kid: 'gone' })) }),
    status: 401,
    reason: 'key_not_found',
    expect: () => ({ received: { kid: 'gone' } }),
  },
  {
    name: 'missing scope: insufficient_scope with required and granted scopes',
    request: async (fx) => ({ path: '/mcp/admin', headers: bearer(await fx.mint()) }),
    status: 403,
    reason: 'insufficient_scope',
    expect: () => ({
      expected: { scopes: ['mcp:tools', 'mcp:admin'] },
      received: { scopes: ['mcp:tools'] },
    }),
  },
];

function expectUnavailable(fx: SuiteFixture, res: SuiteResponse): void {
  expect(res.status, res.body).toBe(503);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  // Not the token's fault: nothing that tells a client to throw its token away.
  expect(res.headers.get('www-authenticate')).toBeNull();
  expect(res.body).not.toContain('invalid_token');
  expect(res.body).not.toContain(fx.issuer.origin);
  expect(JSON.parse(res.body)).toMatchObject({ error: 'temporarily_unavailable' });
}

/**
 * The telemetry part of the shared suite: one event per request with the same reason and
 * compared values on every adapter, a warning through the configured logger, 503 with
 * `Retry-After` on an outage, 429 past the failure limit.
 *
 * @example
 * ```ts
 * runTelemetrySuite('express 5', createExpressHarness(express));
 * ```
 * @see RFC 6750 §3.1, RFC 9110 §15.6.4, RFC 6585 §4
 */
export function runTelemetrySuite(name: string, harness: AdapterHarness): void {
  describe(`${name}: decision telemetry (shared)`, () => {
    const decisions: AuthorizeDecision[] = [];
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    let fx: SuiteFixture;
    beforeAll(async () => {
      fx = await startFixture(harness, {
        onDecision: (d) => decisions.push(d),
        logger: { warn: (fields, message) => warnings.push({ fields, message }) },
      });
    });
    afterAll(async () => {
      await fx?.close();
    });

    for (const row of REASON_CASES) {
      it(row.name, async () => {
        decisions.length = 0;
        const req = await row.request(fx);
        const res = await send(fx.origin, req);
        expect(res.status, res.body).toBe(row.status);
        expect(decisions).toHaveLength(1);
        const d = decisions[0]!;
        expect(d).toMatchObject({
          ok: row.reason === undefined,
          status: row.status,
          path: req.path,
        });
        expect(d.reason).toBe(row.reason);
        if (row.expect) expect(d).toMatchObject(row.expect(fx));
        const auth = req.headers?.authorization;
        for (const value of typeof auth === 'string' ? [auth] : (auth ?? [])) {
          const token = value.slice('Bearer '.length);
          if (token.length > 20) expect(JSON.stringify(d)).not.toContain(token);
        }
      });
    }

    it('a repeated token is answered from the cache, and the event says so', async () => {
      const token = await fx.mint();
      decisions.length = 0;
      await send(fx.origin, { path: '/mcp', headers: bearer(token) });
      await send(fx.origin, { path: '/mcp', headers: bearer(token) });
      expect(decisions.map((d) => d.cacheHit)).toEqual([false, true]);
      expect(decisions[0]!.tokenFingerprint).toBe(decisions[1]!.tokenFingerprint);
    });

    it('warns through the configured logger: once per misconfiguration-looking reason', async () => {
      const before = warnings.filter((w) => w.fields.reason === 'issuer_mismatch').length;
      for (let i = 0; i < 3; i += 1) {
        await send(fx.origin, {
          path: '/mcp',
          headers: bearer(await fx.mint({ iss: FOREIGN_ISSUER })),
        });
      }
      const after = warnings.filter((w) => w.fields.reason === 'issuer_mismatch');
      // The table above already warned once; nothing more within the minute.
      expect(before).toBe(1);
      expect(after).toHaveLength(1);
      expect(after[0]!.message).toContain(FOREIGN_ISSUER);
    });
  });

  describe(`${name}: upstream outage is 503 with Retry-After (shared)`, () => {
    let down: SuiteFixture;
    beforeAll(async () => {
      down = await startFixture(harness, { httpTimeout: 500 });
    });
    afterAll(async () => {
      await down?.close();
    });

    it('JWKS refusing connections: 503, no challenge, no internal URL', async () => {
      down.issuer.setJwksMode('down');
      const res = await send(down.origin, { path: '/mcp', headers: bearer(await down.mint()) });
      expectUnavailable(down, res);
    });

    it('during the failure cooldown: 503 at once, without asking the JWKS again', async () => {
      const asked = down.issuer.requests.filter((r) => r.path === '/jwks').length;
      const started = Date.now();
      const res = await send(down.origin, { path: '/mcp', headers: bearer(await down.mint()) });
      expectUnavailable(down, res);
      expect(Date.now() - started).toBeLessThan(400);
      expect(down.issuer.requests.filter((r) => r.path === '/jwks').length).toBe(asked);
    });
  });

  describe(`${name}: JWKS that hangs is 503 within the time budget (shared)`, () => {
    let hang: SuiteFixture;
    beforeAll(async () => {
      hang = await startFixture(harness, { httpTimeout: 500 });
    });
    afterAll(async () => {
      await hang?.close();
    });

    it('answers 503 well within 3 s', async () => {
      hang.issuer.setJwksMode('hang');
      const started = Date.now();
      const res = await send(
        hang.origin,
        { path: '/mcp', headers: bearer(await hang.mint()) },
        5000,
      );
      expect(Date.now() - started).toBeLessThan(3000);
      expectUnavailable(hang, res);
    });
  });

  describe(`${name}: failure-only rate limiting (shared)`, () => {
    let fx: SuiteFixture;
    beforeAll(async () => {
      fx = await startFixture(harness, {
        rateLimit: { maxFailures: 2, windowSeconds: 60 },
      } satisfies Partial<ResourceServerConfig>);
    });
    afterAll(async () => {
      await fx?.close();
    });

    it('refusals past the limit are 429 with Retry-After; a valid token is still 200', async () => {
      const bad = await fx.mint({}, { key: 'other' });
      const statuses: number[] = [];
      let last: SuiteResponse | undefined;
      for (let i = 0; i < 4; i += 1) {
        last = await send(fx.origin, { path: '/mcp', headers: bearer(bad) });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([401, 401, 429, 429]);
      expect(last!.headers.get('retry-after')).toBe('60');
      expect(last!.headers.get('www-authenticate')).toBeNull();
      const good = await send(fx.origin, { path: '/mcp', headers: bearer(await fx.mint()) });
      expect(good.status).toBe(200);
    });
  });
}
