import { createResourceServer } from '@prmkit/core';
import type { ResourceServer } from '@prmkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_CASES } from './cases.js';
import { runDpopSuite } from './dpop-suite.js';
import { runMtlsSuite } from './mtls-suite.js';
import { startFixture } from './fixture.js';
import type { SuiteFixture } from './fixture.js';
import type { AdapterHarness, InProcessApp } from './harness.js';
import { send } from './http.js';
import { referenceAnswer } from './reference.js';
import { runTelemetrySuite } from './telemetry-suite.js';
import { runBodySuite } from './body-suite.js';
import { describeProfileCases } from './profile-cases.js';
import { expectMcpHeaderOutcome, expectOutcome, expectVerbatim } from './expectations.js';
import { MCP_HEADER_CASES } from './mcp-header-cases.js';
import { runMultiResourceSuite } from './multi-resource-suite.js';

export function runAdapterSuite(name: string, harness: AdapterHarness): void {
  runTelemetrySuite(name, harness);
  describe(`${name}: shared adapter suite`, () => {
    let fx: SuiteFixture;
    let reference: ResourceServer;
    beforeAll(async () => {
      fx = await startFixture(harness);
      reference = createResourceServer(fx.config);
    });
    afterAll(async () => {
      await fx?.close();
    });

    describe('metadata', () => {
      it('serves the document at the path-aware well-known URL with a byte-equal resource', async () => {
        const res = await fetch(fx.metadataUrl);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        const text = await res.text();
        expect(text).toContain(`"resource":${JSON.stringify(fx.resource)}`);
        const doc = JSON.parse(text) as Record<string, unknown>;
        expect(doc.resource).toBe(fx.resource);
        expect(doc.authorization_servers).toEqual([fx.issuer.issuer]);
        expect(doc.scopes_supported).toEqual(['mcp:tools', 'mcp:admin']);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(res.headers.get('etag')).toMatch(/^"/);
      });

      it('serves the same document at the root well-known URL', async () => {
        const [pathAware, root] = await Promise.all([
          fetch(fx.metadataUrl),
          fetch(`${fx.origin}/.well-known/oauth-protected-resource`),
        ]);
        expect(root.status).toBe(200);
        expect(await root.text()).toBe(await pathAware.text());
      });

      it('answers 304 to a matching If-None-Match', async () => {
        const etag = (await fetch(fx.metadataUrl)).headers.get('etag') ?? '';
        const res = await fetch(fx.metadataUrl, { headers: { 'if-none-match': etag } });
        expect(res.status).toBe(304);
        expect(res.headers.get('etag')).toBe(etag);
        expect(await res.text()).toBe('');
      });

      it('answers HEAD with the headers and no body', async () => {
        const res = await send(fx.origin, {
          method: 'HEAD',
          path: new URL(fx.metadataUrl).pathname,
        });
        expect(res.status).toBe(200);
        expect(res.headers.get('etag')).toMatch(/^"/);
        expect(res.body).toBe('');
      });

      it('answers a CORS preflight', async () => {
        const res = await fetch(fx.metadataUrl, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://client.example',
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'mcp-protocol-version',
          },
        });
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(res.headers.get('access-control-allow-methods')).toMatch(/GET/);
        expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
          'mcp-protocol-version',
        );
      });

      it('answers 405 with Allow to other methods', async () => {
        const res = await fetch(fx.metadataUrl, { method: 'DELETE' });
        expect(res.status).toBe(405);
        expect(res.headers.get('allow')).toMatch(/GET/);
      });

      it('leaves unprotected routes alone', async () => {
        const res = await fetch(`${fx.origin}/public`);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('ok');
      });
    });

    describe('authorization (one table, same answer on every adapter)', () => {
      for (const row of AUTH_CASES) {
        it(row.name, async () => {
          const req = await row.request(fx);
          const res = await send(fx.origin, req);
          expectOutcome(fx, res, row.expect);
          expectVerbatim(res, await referenceAnswer(reference, req));
        });
      }

      it('answers a good token through fetch too', async () => {
        const res = await fetch(`${fx.origin}/mcp`, {
          headers: { authorization: `Bearer ${await fx.mint()}` },
        });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { subject: string }).subject).toBe('user-123');
      });
    });

    describe('MCP request headers (SEP-2243: Mcp-Method, Mcp-Name)', () => {
      for (const row of MCP_HEADER_CASES) {
        it(row.name, async () => {
          const req = await row.request(fx);
          const res = await send(fx.origin, req);
          expectMcpHeaderOutcome(res, row.expect);
          expectVerbatim(res, await referenceAnswer(reference, req));
        });
      }
    });

    const { inProcess } = harness;
    if (inProcess) {
      describe("authorization in process (the framework's own test entry)", () => {
        let app: InProcessApp;
        beforeAll(async () => {
          app = await inProcess({ config: fx.config });
        });
        afterAll(async () => {
          await app?.close();
        });
        for (const row of AUTH_CASES) {
          it(row.name, async (context) => {
            const req = await row.request(fx);
            const repeated = Object.values(req.headers ?? {}).some((v) => typeof v !== 'string');
            if (repeated && !app.repeatsHeaders)
              return context.skip('one header line twice needs a socket');
            const res = await app.send(req);
            expectOutcome(fx, res, row.expect);
            expectVerbatim(res, await referenceAnswer(reference, req));
          });
        }
        for (const row of MCP_HEADER_CASES) {
          it(`MCP headers: ${row.name}`, async () => {
            const req = await row.request(fx);
            const res = await app.send(req);
            expectMcpHeaderOutcome(res, row.expect);
            expectVerbatim(res, await referenceAnswer(reference, req));
          });
        }
      });
    }

    describeProfileCases(harness);
  });
  runBodySuite(name, harness);
  runDpopSuite(name, harness);
  runMultiResourceSuite(name, harness);
  runMtlsSuite(name, harness);
}
