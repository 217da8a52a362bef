import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUITE_SCOPES, startFixture } from './fixture.js';
import type { SuiteFixture } from './fixture.js';
import type { AdapterHarness } from './harness.js';
import { send } from './http.js';

const toolsCall = (name: string, args?: Record<string, unknown>): string =>
  JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name, ...(args ? { arguments: args } : {}) },
  });
const json = { 'content-type': 'application/json' };

/**
 * The body hand-off every adapter must get right: the guard reads a JSON-RPC body to find
 * the tool (per-tool scopes), and the handler still gets that body (the MCP SDK takes it
 * as `parsedBody`); where the adapter parses, a malformed body of an authorized request is
 * a 400 that never reaches the handler. With `harness.bodyLimit`, a body over the adapter's
 * limit is never read by the guard: 401 without a token, 403 (every tool scope needed) with
 * the endpoint scope only, and with every tool scope the answer the harness declares.
 *
 * @example
 * ```ts
 * runBodySuite('express 5', createExpressHarness(express));
 * ```
 * @see RFC 6750 §3 (the decision comes first), MCP 2025-11-25 Authorization
 */
export function runBodySuite(name: string, harness: AdapterHarness): void {
  describe(`${name}: request bodies`, () => {
    let fx: SuiteFixture;
    let admin: string;
    beforeAll(async () => {
      fx = await startFixture(harness);
      admin = await fx.mint({ scope: `${SUITE_SCOPES.endpoint} ${SUITE_SCOPES.admin}` });
    });
    afterAll(async () => {
      await fx?.close();
    });

    it('hands the JSON body to the handler after the check', async () => {
      const res = await send(fx.origin, {
        method: 'POST',
        path: '/mcp',
        headers: { ...json, authorization: `Bearer ${await fx.mint()}` },
        body: toolsCall('echo', { text: 'héllo' }),
      });
      expect(res.status, res.body).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({
        subject: 'user-123',
        body: JSON.parse(toolsCall('echo', { text: 'héllo' })),
      });
    });

    it.skipIf(harness.bodyReader === 'handler')(
      'answers a malformed JSON body of an authorized request with 400, never the handler',
      async () => {
        const res = await send(fx.origin, {
          method: 'POST',
          path: '/mcp',
          headers: { ...json, authorization: `Bearer ${admin}` },
          body: '{"jsonrpc":',
        });
        expect(res.status).toBe(400);
        expect(res.body).not.toContain('user-123');
      },
    );

    const { bodyLimit } = harness;
    if (bodyLimit) {
      describe(`a body over the adapter's bodyLimit (${bodyLimit.limit} bytes)`, () => {
        let limited: SuiteFixture;
        beforeAll(async () => {
          limited = await startFixture({ start: bodyLimit.start });
        });
        afterAll(async () => {
          await limited?.close();
        });
        const big = toolsCall('echo', { pad: 'x'.repeat(4 * bodyLimit.limit) });

        it('is refused 401 without a token', async () => {
          const res = await send(limited.origin, {
            method: 'POST',
            path: '/mcp',
            headers: json,
            body: big,
          });
          expect(res.status).toBe(401);
        });

        it('needs every tool scope with a token (the tool is unknown): 403, never the handler', async () => {
          const res = await send(limited.origin, {
            method: 'POST',
            path: '/mcp',
            headers: { ...json, authorization: `Bearer ${await limited.mint()}` },
            body: big,
          });
          expect(res.status).toBe(403);
          expect(res.headers.get('www-authenticate')).toContain(SUITE_SCOPES.admin);
          expect(res.body).not.toContain('user-123');
        });

        it(`answers ${bodyLimit.allTools} with every tool scope`, async () => {
          const all = await limited.mint({
            scope: `${SUITE_SCOPES.endpoint} ${SUITE_SCOPES.admin}`,
          });
          const res = await send(limited.origin, {
            method: 'POST',
            path: '/mcp',
            headers: { ...json, authorization: `Bearer ${all}` },
            body: big,
          });
          expect(res.status).toBe(bodyLimit.allTools);
          if (bodyLimit.allTools === 413) expect(res.body).not.toContain('user-123');
          else expect(JSON.parse(res.body)).toMatchObject({ body: JSON.parse(big) });
        });

        it('still hands a body under the limit to the handler', async () => {
          const res = await send(limited.origin, {
            method: 'POST',
            path: '/mcp',
            headers: { ...json, authorization: `Bearer ${await limited.mint()}` },
            body: toolsCall('echo'),
          });
          expect(res.status, res.body).toBe(200);
          expect(JSON.parse(res.body)).toMatchObject({ body: JSON.parse(toolsCall('echo')) });
        });
      });
    }
  });
}
