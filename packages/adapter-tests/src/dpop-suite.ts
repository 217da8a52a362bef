import { createResourceServer, parseWwwAuthenticate } from '@prmkit/core';
import type { ResourceServer, ResourceServerConfig } from '@prmkit/core';
import { createDpopTestKey } from '@prmkit/testing';
import type { DpopProofOptions, DpopTestKey } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture } from './fixture.js';
import type { SuiteFixture } from './fixture.js';
import type { AdapterHarness } from './harness.js';
import { send } from './http.js';
import type { SuiteRequest, SuiteResponse } from './http.js';
import { referenceAnswer } from './reference.js';
import { expectVerbatim } from './expectations.js';

const NONCE_SECRET = 'adapter-suite-dpop-nonce-secret-0123456789';

/** What a DPoP-mode refusal must look like (RFC 9449 §7.1). */
interface DpopRefusal {
  readonly status: 400 | 401 | 403;
  /** Scheme whose challenge carries `error`. */
  readonly on: 'Bearer' | 'DPoP';
  readonly error: string | undefined;
  /** Schemes of the WWW-Authenticate header, in order. */
  readonly schemes: readonly string[];
}

function expectDpopRefusal(fx: SuiteFixture, res: SuiteResponse, want: DpopRefusal): void {
  expect(res.status, res.body).toBe(want.status);
  const challenges = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
  expect(challenges.map((c) => c.scheme)).toEqual(want.schemes);
  for (const c of challenges) {
    expect(c.params.resource_metadata, c.scheme).toBe(fx.metadataUrl);
    if (c.scheme === 'DPoP') expect(c.params.algs).toMatch(/ES256/);
    expect(c.params.error, c.scheme).toBe(c.scheme === want.on ? want.error : undefined);
  }
  expect(res.headers.get('access-control-expose-headers') ?? '').toMatch(/www-authenticate/i);
}

/** A request with `Authorization: DPoP` and a proof made for it (overridable). */
async function dpopRequest(
  fx: SuiteFixture,
  key: DpopTestKey,
  token: string,
  opts: { path?: string; method?: string; body?: string; proof?: Partial<DpopProofOptions> } = {},
): Promise<SuiteRequest> {
  const path = opts.path ?? '/mcp';
  const method = opts.method ?? 'GET';
  const proof = await key.proof({
    method,
    url: `${fx.origin}${path.split('?')[0]}`,
    accessToken: token,
    ...opts.proof,
  });
  const headers: Record<string, string> = { authorization: `DPoP ${token}`, dpop: proof };
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers.accept = 'application/json, text/event-stream';
  }
  return { method, path, headers, body: opts.body };
}

const toolsCall = (name: string): string =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } });

/**
 * DPoP (RFC 9449) through an adapter, in each mode: the proof header and the full request
 * path reach the core, challenges follow §7.1, and replays, wrong keys, `ath`, `htm`,
 * `htu` and nonces are checked. Part of {@link runAdapterSuite}.
 *
 * @example
 * ```ts
 * runDpopSuite('express 5', createExpressHarness(express));
 * ```
 * @see RFC 9449 §4.3, §7.1, §9
 */
export function runDpopSuite(name: string, harness: AdapterHarness): void {
  describe(`${name}: DPoP (RFC 9449)`, () => {
    let key: DpopTestKey;
    let otherKey: DpopTestKey;
    beforeAll(async () => {
      key = await createDpopTestKey('ES256');
      otherKey = await createDpopTestKey('ES256');
    });

    describe('mode off', () => {
      let fx: SuiteFixture;
      beforeAll(async () => {
        fx = await startFixture(harness);
      });
      afterAll(() => fx?.close());

      it('refuses a DPoP-bound token as Bearer and treats the DPoP scheme as unsupported', async () => {
        const token = await fx.mint({ cnf: { jkt: key.jkt } });
        const asBearer = await send(fx.origin, {
          path: '/mcp',
          headers: { authorization: `Bearer ${token}` },
        });
        expectDpopRefusal(fx, asBearer, {
          status: 401,
          on: 'Bearer',
          error: 'invalid_token',
          schemes: ['Bearer'],
        });
        const asDpop = await send(fx.origin, await dpopRequest(fx, key, token));
        expectDpopRefusal(fx, asDpop, {
          status: 401,
          on: 'Bearer',
          error: undefined,
          schemes: ['Bearer'],
        });
        const doc = (await (await fetch(fx.metadataUrl)).json()) as Record<string, unknown>;
        expect(doc.dpop_signing_alg_values_supported).toBeUndefined();
      });
    });

    describe('mode allowed', () => {
      let fx: SuiteFixture;
      let reference: ResourceServer;
      const both = ['Bearer', 'DPoP'];
      beforeAll(async () => {
        fx = await startFixture(harness, {
          dpop: { mode: 'allowed', algorithms: ['ES256', 'EdDSA'] },
        } satisfies Partial<ResourceServerConfig>);
        reference = createResourceServer(fx.config);
      });
      afterAll(() => fx?.close());
      const bound = (scope = 'mcp:tools'): Promise<string> =>
        fx.mint({ cnf: { jkt: key.jkt }, scope });
      /** Sends to the adapter and checks it wrote the core's own answer verbatim. */
      const sendChecked = async (req: SuiteRequest): Promise<SuiteResponse> => {
        const res = await send(fx.origin, req);
        expectVerbatim(res, await referenceAnswer(reference, req));
        return res;
      };

      it('advertises the proof algorithms only', async () => {
        const doc = (await (await fetch(fx.metadataUrl)).json()) as Record<string, unknown>;
        expect(doc.dpop_signing_alg_values_supported).toEqual(['ES256', 'EdDSA']);
        expect(doc.dpop_bound_access_tokens_required).toBeUndefined();
      });

      it('accepts a DPoP-bound token with a correct proof (GET, with a query)', async () => {
        const res = await sendChecked(
          await dpopRequest(fx, key, await bound(), { path: '/mcp?session=1' }),
        );
        expect(res.status, res.body).toBe(200);
        expect((JSON.parse(res.body) as { subject: string }).subject).toBe('user-123');
      });

      it('accepts a POST whose proof says POST, with the JSON body read for tool scopes', async () => {
        const token = await bound('mcp:tools mcp:admin');
        const res = await sendChecked(
          await dpopRequest(fx, key, token, { method: 'POST', body: toolsCall('admin_stats') }),
        );
        expect(res.status, res.body).toBe(200);
        const narrow = await sendChecked(
          await dpopRequest(fx, key, await bound(), {
            method: 'POST',
            body: toolsCall('admin_stats'),
          }),
        );
        expectDpopRefusal(fx, narrow, {
          status: 403,
          on: 'DPoP',
          error: 'insufficient_scope',
          schemes: both,
        });
      });

      it('checks htu against the full request path (/mcp/admin)', async () => {
        const token = await bound('mcp:tools mcp:admin');
        const ok = await sendChecked(await dpopRequest(fx, key, token, { path: '/mcp/admin' }));
        expect(ok.status, ok.body).toBe(200);
        const wrong = await sendChecked(
          await dpopRequest(fx, key, token, {
            path: '/mcp/admin',
            proof: { url: `${fx.origin}/mcp` },
          }),
        );
        expectDpopRefusal(fx, wrong, {
          status: 401,
          on: 'DPoP',
          error: 'invalid_dpop_proof',
          schemes: both,
        });
      });

      it('builds htu from the configured resource, never from Host', async () => {
        const req = await dpopRequest(fx, key, await bound(), {
          proof: { url: 'http://evil.example/mcp' },
        });
        const res = await send(fx.origin, {
          ...req,
          headers: { ...req.headers, host: 'evil.example' },
        });
        expectDpopRefusal(fx, res, {
          status: 401,
          on: 'DPoP',
          error: 'invalid_dpop_proof',
          schemes: both,
        });
      });

      it('still accepts Bearer, and sends both challenges without credentials', async () => {
        const ok = await sendChecked({
          path: '/mcp',
          headers: { authorization: `Bearer ${await fx.mint()}` },
        });
        expect(ok.status).toBe(200);
        expectDpopRefusal(fx, await sendChecked({ path: '/mcp' }), {
          status: 401,
          on: 'Bearer',
          error: undefined,
          schemes: both,
        });
      });

      it('refuses a DPoP-bound token presented as Bearer', async () => {
        const res = await sendChecked({
          path: '/mcp',
          headers: { authorization: `Bearer ${await bound()}` },
        });
        expectDpopRefusal(fx, res, {
          status: 401,
          on: 'Bearer',
          error: 'invalid_token',
          schemes: both,
        });
      });

      it('refuses a replayed proof', async () => {
        const req = await dpopRequest(fx, key, await bound());
        expect((await send(fx.origin, req)).status).toBe(200);
        expectDpopRefusal(fx, await send(fx.origin, req), {
          status: 401,
          on: 'DPoP',
          error: 'invalid_dpop_proof',
          schemes: both,
        });
      });

      it('refuses a proof by a key the token is not bound to', async () => {
        const res = await sendChecked(await dpopRequest(fx, otherKey, await bound()));
        expectDpopRefusal(fx, res, {
          status: 401,
          on: 'DPoP',
          error: 'invalid_dpop_proof',
          schemes: both,
        });
      });

      const broken: [string, Partial<DpopProofOptions>][] = [
        ['ath of another token', { accessToken: 'another-token' }],
        ['htm of another method', { method: 'POST' }],
        ['iat too old', { iat: Math.floor(Date.now() / 1000) - 3600 }],
        ['typ not dpop+jwt', { typ: 'JWT' }],
      ];
      for (const [what, proof] of broken) {
        it(`refuses a proof with ${what}`, async () => {
          const res = await sendChecked(await dpopRequest(fx, key, await bound(), { proof }));
          expectDpopRefusal(fx, res, {
            status: 401,
            on: 'DPoP',
            error: 'invalid_dpop_proof',
            schemes: both,
          });
        });
      }

      it('refuses a missing proof and two proofs', async () => {
        const req = await dpopRequest(fx, key, await bound());
        const proof = req.headers?.dpop as string;
        const missing = await sendChecked({
          path: '/mcp',
          headers: { authorization: req.headers?.authorization as string },
        });
        expectDpopRefusal(fx, missing, {
          status: 401,
          on: 'DPoP',
          error: 'invalid_dpop_proof',
          schemes: both,
        });
        const two = await sendChecked({
          ...req,
          headers: { ...req.headers, dpop: [proof, proof] },
        });
        expectDpopRefusal(fx, two, {
          status: 401,
          on: 'DPoP',
          error: 'invalid_dpop_proof',
          schemes: both,
        });
      });

      it('refuses an unbound token with the DPoP scheme (invalid_token)', async () => {
        const res = await sendChecked(await dpopRequest(fx, key, await fx.mint()));
        expectDpopRefusal(fx, res, {
          status: 401,
          on: 'DPoP',
          error: 'invalid_token',
          schemes: both,
        });
      });
    });

    describe('mode required, with server nonces', () => {
      let fx: SuiteFixture;
      beforeAll(async () => {
        fx = await startFixture(harness, {
          dpop: { mode: 'required', nonce: { secret: NONCE_SECRET } },
        } satisfies Partial<ResourceServerConfig>);
      });
      afterAll(() => fx?.close());

      it('advertises dpop_bound_access_tokens_required', async () => {
        const doc = (await (await fetch(fx.metadataUrl)).json()) as Record<string, unknown>;
        expect(doc.dpop_bound_access_tokens_required).toBe(true);
        expect(doc.dpop_signing_alg_values_supported).toContain('ES256');
      });

      it('refuses Bearer with a DPoP challenge only', async () => {
        const res = await send(fx.origin, {
          path: '/mcp',
          headers: { authorization: `Bearer ${await fx.mint()}` },
        });
        expectDpopRefusal(fx, res, {
          status: 401,
          on: 'DPoP',
          error: undefined,
          schemes: ['DPoP'],
        });
      });

      it('asks for a nonce (use_dpop_nonce, DPoP-Nonce), then accepts the proof that carries it', async () => {
        const token = await fx.mint({ cnf: { jkt: key.jkt } });
        const first = await send(fx.origin, await dpopRequest(fx, key, token));
        expectDpopRefusal(fx, first, {
          status: 401,
          on: 'DPoP',
          error: 'use_dpop_nonce',
          schemes: ['DPoP'],
        });
        const nonce = first.headers.get('dpop-nonce');
        expect(nonce).toBeTruthy();
        expect(first.headers.get('access-control-expose-headers')).toMatch(/dpop-nonce/i);
        const second = await send(
          fx.origin,
          await dpopRequest(fx, key, token, { proof: { nonce: nonce ?? '' } }),
        );
        expect(second.status, second.body).toBe(200);
      });
    });
  });
}
