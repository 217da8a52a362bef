import {
  AUTH_CASES,
  expectOutcome,
  expectVerbatim,
  referenceAnswer,
  send,
  startFixture,
  type SuiteFixture,
} from '@prmkit/adapter-tests';
import { createResourceServer, parseWwwAuthenticate, type ResourceServer } from '@prmkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIMES, startServer, type Runtime, type RuntimeProcess } from './runtimes.js';

// @prmkit/web (its built dist) on the hosts' own servers, Bun.serve and Deno.serve, driven
// over real loopback HTTP: the shared suite's configuration, its authorization table and
// its reference answers (byte for byte), tokens minted with jose, JWKS over loopback.

const serverOn = (runtime: Runtime, metadataBy: 'wrapper' | 'route') => ({
  async start({ port, config }: { port: number; config: object }) {
    const proc: RuntimeProcess = await startServer(runtime, 'web-server.ts', port, {
      PRMKIT_CONFIG: JSON.stringify(config),
      PRMKIT_METADATA_BY: metadataBy,
    });
    return { close: () => proc.stop() };
  },
});

const toolCall = (name: string) =>
  JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name, arguments: {} } });

for (const runtime of RUNTIMES) {
  describe(`@prmkit/web on ${runtime.name} (metadataRoute for the well-known paths)`, () => {
    let fx: SuiteFixture;
    let reference: ResourceServer;
    beforeAll(async () => {
      fx = await startFixture(serverOn(runtime, 'route'));
      reference = createResourceServer(fx.config);
    });
    afterAll(() => fx?.close());

    it('serves the metadata at the path-aware URL and the root alias, with ETag and CORS', async () => {
      const res = await fetch(fx.metadataUrl);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toBe(JSON.stringify(reference.metadata));
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const etag = res.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"/);
      const root = await fetch(`${fx.origin}/.well-known/oauth-protected-resource`);
      expect(await root.text()).toBe(text);
      const again = await fetch(fx.metadataUrl, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      const head = await send(fx.origin, {
        method: 'HEAD',
        path: new URL(fx.metadataUrl).pathname,
      });
      expect([head.status, head.body]).toEqual([200, '']);
      const other = await fetch(`${fx.origin}/.well-known/oauth-protected-resource/other`);
      expect(other.status).toBe(404);
      const del = await fetch(fx.metadataUrl, { method: 'DELETE' });
      expect(del.status).toBe(405);
    });

    it('leaves an unprotected route alone', async () => {
      const res = await fetch(`${fx.origin}/public`);
      expect([res.status, await res.text()]).toEqual([200, 'ok']);
    });

    for (const row of AUTH_CASES) {
      it(row.name, async () => {
        const req = await row.request(fx);
        const res = await send(fx.origin, req);
        expectOutcome(fx, res, row.expect);
        expectVerbatim(res, await referenceAnswer(reference, req));
      });
    }

    it("the handler reads the body the guard inspected, and gets the host's own second argument", async () => {
      const body = toolCall('echo');
      const res = await fetch(`${fx.origin}/mcp/echo`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await fx.mint()}`,
          'content-type': 'application/json',
        },
        body,
      });
      expect(res.status).toBe(200);
      const json = (await res.json()) as Record<string, string>;
      expect(json).toMatchObject({ subject: 'user-123', body, peer: '127.0.0.1' });
      expect(json['host']).toMatch(new RegExp(`^${runtime.name} `));
      // The `bun` / `deno` export condition: the Web Crypto entry, not Node's.
      expect(json['entry']).toMatch(/\/packages\/web\/dist\/index\.js$/);
    });

    it('steps up: a route scope and a tool scope are 403 insufficient_scope naming mcp:admin', async () => {
      const low = await fx.mint();
      const route = await fetch(`${fx.origin}/mcp/admin`, {
        headers: { authorization: `Bearer ${low}` },
      });
      expect(route.status).toBe(403);
      const [challenge] = parseWwwAuthenticate(route.headers.get('www-authenticate') ?? '');
      expect(challenge?.params['error']).toBe('insufficient_scope');
      expect(challenge?.params['scope']?.split(' ')).toContain('mcp:admin');
      const tool = await fetch(`${fx.origin}/mcp/echo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${low}`, 'content-type': 'application/json' },
        body: toolCall('admin_stats'),
      });
      expect(tool.status).toBe(403);
      const high = await fx.mint({ scope: 'mcp:tools mcp:admin' });
      const ok = await fetch(`${fx.origin}/mcp/admin`, {
        headers: { authorization: `Bearer ${high}` },
      });
      expect(ok.status).toBe(200);
    });
  });

  describe(`@prmkit/web on ${runtime.name} (withPrmkit serves the metadata itself)`, () => {
    let fx: SuiteFixture;
    beforeAll(async () => {
      fx = await startFixture(serverOn(runtime, 'wrapper'));
    });
    afterAll(() => fx?.close());

    it('metadata at both paths, 405 to POST; /mcp challenges with its resource_metadata', async () => {
      const path = await fetch(fx.metadataUrl);
      expect(path.status).toBe(200);
      expect(((await path.json()) as { resource: string }).resource).toBe(fx.resource);
      const root = await fetch(`${fx.origin}/.well-known/oauth-protected-resource`);
      expect(root.status).toBe(200);
      await root.arrayBuffer();
      const post = await fetch(fx.metadataUrl, { method: 'POST' });
      expect(post.status).toBe(405);
      const mcp = await fetch(`${fx.origin}/mcp`);
      expect(mcp.status).toBe(401);
      const [challenge] = parseWwwAuthenticate(mcp.headers.get('www-authenticate') ?? '');
      expect(challenge?.params['resource_metadata']).toBe(fx.metadataUrl);
    });
  });
}
