import { SUITE_SCOPES, send, startFixture } from '@prmkit/adapter-tests';
import type { SuiteFixture } from '@prmkit/adapter-tests';
import { PrmkitConfigError, createResourceServer } from '@prmkit/core';
import type { ResourceServerConfig } from '@prmkit/core';
import type express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prmkit } from '../src/index.js';
import { authJson, listenOn } from './harness.js';
import { EXPRESS_VERSIONS } from './versions.js';

const toolsCall = (name: string): string =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } });
const json = { 'content-type': 'application/json' };

for (const [label, expressFactory] of EXPRESS_VERSIONS) {
  describe(`${label}: mounted under a prefix`, () => {
    let fx: SuiteFixture;
    beforeAll(async () => {
      fx = await startFixture({
        async start({ port, config }) {
          // The resource lives under /api; the metadata paths come from it, not from the mount.
          const prm = prmkit({ ...config, resource: `http://127.0.0.1:${port}/api/mcp` });
          const app = expressFactory();
          app.use(prm.metadata);
          const api = expressFactory.Router();
          api.get('/mcp', prm.requireAuth(), (req, res) => {
            res.json({ ...authJson(req.auth), originalUrl: req.originalUrl });
          });
          app.use('/api', api);
          return listenOn(app, port);
        },
      });
    });
    afterAll(() => fx?.close());

    it('serves the metadata at the path-aware URL of the prefixed resource', async () => {
      const res = await fetch(`${fx.origin}/.well-known/oauth-protected-resource/api/mcp`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { resource: string }).resource).toBe(`${fx.origin}/api/mcp`);
    });

    it('points the challenge at that metadata and admits an audience-bound token', async () => {
      const refused = await fetch(`${fx.origin}/api/mcp`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain(
        `resource_metadata="${fx.origin}/.well-known/oauth-protected-resource/api/mcp"`,
      );
      const token = await fx.mint({ aud: `${fx.origin}/api/mcp` });
      const ok = await fetch(`${fx.origin}/api/mcp?x=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ subject: 'user-123', originalUrl: '/api/mcp?x=1' });
    });

    it('does not serve the metadata under the mount prefix', async () => {
      expect(
        (await fetch(`${fx.origin}/api/.well-known/oauth-protected-resource/api/mcp`)).status,
      ).toBe(404);
    });
  });

  describe(`${label}: request bodies`, () => {
    let fx: SuiteFixture;
    let admin: string;
    beforeAll(async () => {
      fx = await startFixture({
        async start({ port, config }) {
          const prm = prmkit(config, { bodyLimit: 1024 });
          const app = expressFactory();
          const echo = (req: express.Request, res: express.Response): void => {
            res.json({ body: req.body as unknown, subject: req.auth?.subject });
          };
          // No parser: the adapter parses and leaves the value on req.body; a later express.json() skips.
          app.post('/mcp', prm.requireAuth(), expressFactory.json(), echo);
          // A parser before the guard: the adapter uses its result.
          app.post('/parsed', expressFactory.json(), prm.requireAuth(), echo);
          // Something drained the stream without setting req.body: nothing is left to read.
          const drain: express.RequestHandler = (req, _res, next) => {
            req.on('end', () => next()).resume();
          };
          app.post('/drained', drain, prm.requireAuth(), echo);
          return listenOn(app, port);
        },
      });
      admin = await fx.mint({ scope: `${SUITE_SCOPES.endpoint} ${SUITE_SCOPES.admin}` });
    });
    afterAll(() => fx?.close());

    it('uses a body parsed by express.json() before it, and still enforces tool scopes', async () => {
      const refused = await send(fx.origin, {
        method: 'POST',
        path: '/parsed',
        headers: { ...json, authorization: `Bearer ${await fx.mint()}` },
        body: toolsCall('admin_stats'),
      });
      expect(refused.status).toBe(403);
      const ok = await send(fx.origin, {
        method: 'POST',
        path: '/parsed',
        headers: { ...json, authorization: `Bearer ${await fx.mint()}` },
        body: toolsCall('echo'),
      });
      expect(ok.status).toBe(200);
    });

    // body-parser 1.x (Express 4) sets req.body = {} on requests it skips; that is no JSON-RPC message.
    it('requires every tool scope for a POST that express.json() before it skipped', async () => {
      const post = async (token: string): Promise<number> =>
        (
          await send(fx.origin, {
            method: 'POST',
            path: '/parsed',
            headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
            body: toolsCall('admin_stats'),
          })
        ).status;
      expect(await post(await fx.mint())).toBe(403);
      expect(await post(admin)).toBe(200);
    });

    it('reads a +json body itself when express.json() before it skipped that type', async () => {
      const post = (token: string, tool: string): Promise<{ status: number; body: string }> =>
        send(fx.origin, {
          method: 'POST',
          path: '/parsed',
          headers: {
            'content-type': 'application/vnd.acme+json',
            authorization: `Bearer ${token}`,
          },
          body: toolsCall(tool),
        });
      expect((await post(await fx.mint(), 'admin_stats')).status).toBe(403);
      const ok = await post(await fx.mint(), 'echo');
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toEqual({
        body: JSON.parse(toolsCall('echo')),
        subject: 'user-123',
      });
    });

    it('answers at once, needing every tool scope, when the stream was drained before it', async () => {
      const post = async (token: string): Promise<number> =>
        (
          await send(
            fx.origin,
            {
              method: 'POST',
              path: '/drained',
              headers: { ...json, authorization: `Bearer ${token}` },
              body: toolsCall('echo'),
            },
            2_000,
          )
        ).status;
      expect(await post(await fx.mint())).toBe(403);
      expect(await post(admin)).toBe(200);
    });

    // MCP 2026-07-28 (SEP-2243): with no parser before it, Mcp-Name decides and the body is
    // read and compared before next().
    it('no parser, Mcp-* headers: decides from Mcp-Name, then reads, compares and hands on the body', async () => {
      const mcp = (name: string) => ({
        ...json,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': name,
      });
      const post = async (path: string, headers: Record<string, string>, body: string) =>
        send(fx.origin, { method: 'POST', path, headers, body }, 2_000);
      const auth = { authorization: `Bearer ${await fx.mint()}` };
      const ok = await post('/mcp', { ...mcp('echo'), ...auth }, toolsCall('echo'));
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toEqual({
        body: JSON.parse(toolsCall('echo')),
        subject: 'user-123',
      });
      const lie = await post('/mcp', { ...mcp('echo'), ...auth }, toolsCall('admin_stats'));
      expect(lie.status).toBe(400);
      expect(JSON.parse(lie.body)).toMatchObject({ id: 1, error: { code: -32020 } });
      expect(lie.headers.get('www-authenticate')).toBeNull();
      // The stream is gone: the body cannot be checked, so every tool scope is needed.
      const drained = await post('/drained', { ...mcp('echo'), ...auth }, toolsCall('echo'));
      expect(drained.status).toBe(403);
      const drainedAdmin = { ...mcp('echo'), authorization: `Bearer ${admin}` };
      expect((await post('/drained', drainedAdmin, toolsCall('echo'))).status).toBe(200);
    });
  });
}

describe('express: construction', () => {
  const config: ResourceServerConfig = {
    resource: 'http://127.0.0.1:1/mcp',
    authorizationServers: ['http://127.0.0.1:2'],
    jwt: { jwksUri: 'http://127.0.0.1:2/jwks' },
    allowHttp: 'loopback',
  };

  it('accepts an existing resource server and uses it as is', () => {
    const rs = createResourceServer(config);
    expect(prmkit(rs).resourceServer).toBe(rs);
  });

  it('throws PrmkitConfigError at registration for a bad config', () => {
    expect(() => prmkit({ ...config, resource: 'not a url' })).toThrow(PrmkitConfigError);
  });

  it('refuses a route scope that is not one scope token, when the route is made', () => {
    const prm = prmkit(config);
    expect(() => prm.requireAuth({ scopes: ['mcp:tools mcp:admin'] })).toThrow(PrmkitConfigError);
    expect(() => prm.requireAuth({ scopes: ['quote"'] })).toThrow(/invalid scope token/);
    expect(() => prm.requireAuth({ scopes: ['mcp:admin'] })).not.toThrow();
  });
});
