import { SUITE_SCOPES, send, startFixture } from '@prmkit/adapter-tests';
import type { SuiteFixture } from '@prmkit/adapter-tests';
import { PrmkitConfigError, createResourceServer } from '@prmkit/core';
import type { ResourceServerConfig } from '@prmkit/core';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prmkitPlugin } from '../src/index.js';
import { listenOn } from './harness.js';

const json = { 'content-type': 'application/json' };

describe('fastify: a route declared before the plugin loaded (register() not awaited)', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await startFixture({
      async start({ port, config }) {
        const app = Fastify({ forceCloseConnections: true });
        void app.register(prmkitPlugin, { resourceServer: config }); // not awaited, as docs often write it
        app.get('/admin', { config: { prmkit: { scopes: ['mcp:admin'] } } }, async (req) => ({
          subject: req.auth?.subject,
        }));
        return listenOn(app, port);
      },
    });
  });
  afterAll(() => fx?.close());

  it('is still guarded: 401 without a token, 403 without the route scope, 200 with it', async () => {
    expect((await send(fx.origin, { path: '/admin' })).status).toBe(401);
    const tools = await send(fx.origin, {
      path: '/admin',
      headers: { authorization: `Bearer ${await fx.mint()}` },
    });
    expect(tools.status).toBe(403);
    const admin = await fx.mint({ scope: `${SUITE_SCOPES.endpoint} ${SUITE_SCOPES.admin}` });
    const ok = await send(fx.origin, {
      path: '/admin',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ subject: 'user-123' });
  });
});

describe('fastify: bodies and lifecycle (real listener)', () => {
  let fx: SuiteFixture;
  let admin: string;
  const handled: string[] = [];
  beforeAll(async () => {
    fx = await startFixture({
      async start({ port, config }) {
        const app = Fastify({ forceCloseConnections: true, bodyLimit: 1024 });
        await app.register(prmkitPlugin, { resourceServer: config });
        app.post('/mcp', { preParsing: app.requireAuth() }, async (req) => {
          handled.push('mcp');
          return { body: req.body, subject: req.auth?.subject };
        });
        app.get('/open', async (req) => ({ auth: req.auth }));
        return listenOn(app, port);
      },
    });
    admin = await fx.mint({ scope: `${SUITE_SCOPES.endpoint} ${SUITE_SCOPES.admin}` });
  });
  afterAll(() => fx?.close());

  it('decides before parsing: malformed JSON and unsupported types reach Fastify only when authorized', async () => {
    handled.length = 0;
    const malformed = await send(fx.origin, {
      method: 'POST',
      path: '/mcp',
      headers: { ...json, authorization: `Bearer ${admin}` },
      body: '{"jsonrpc":',
    });
    expect(malformed.status).toBe(400);
    const text = await send(fx.origin, {
      method: 'POST',
      path: '/mcp',
      headers: { 'content-type': 'application/xml', authorization: `Bearer ${admin}` },
      body: '<x/>',
    });
    expect(text.status).toBe(415);
    const anonymous = await send(fx.origin, {
      method: 'POST',
      path: '/mcp',
      headers: { 'content-type': 'application/xml' },
      body: '<x/>',
    });
    expect(anonymous.status).toBe(401);
    expect(handled).toEqual([]);
  });

  it('leaves request.auth null on unprotected routes', async () => {
    const res = await fetch(`${fx.origin}/open`, { headers: { authorization: `Bearer ${admin}` } });
    expect(await res.json()).toEqual({ auth: null });
  });
});

describe('fastify: plugin registration', () => {
  const config: ResourceServerConfig = {
    resource: 'http://127.0.0.1:1/mcp',
    authorizationServers: ['http://127.0.0.1:2'],
    jwt: { jwksUri: 'http://127.0.0.1:2/jwks' },
    allowHttp: 'loopback',
  };

  it('is a named fastify-plugin: decorators reach the registering scope, not its parent', async () => {
    const app = Fastify();
    let inChild = false;
    await app.register(async (child) => {
      await child.register(prmkitPlugin, { resourceServer: config });
      inChild =
        child.hasDecorator('requireAuth') &&
        child.hasRequestDecorator('auth') &&
        child.hasPlugin('@prmkit/fastify');
    });
    await app.ready();
    expect(inChild).toBe(true);
    expect(app.hasDecorator('requireAuth')).toBe(false);
    await app.close();
  });

  it('accepts an existing resource server', async () => {
    const rs = createResourceServer(config);
    const app = Fastify();
    await app.register(prmkitPlugin, { resourceServer: rs });
    expect(app.prmkit).toBe(rs);
    await app.close();
  });

  it('refuses a bad route scope at route registration (requireAuth() and config.prmkit)', async () => {
    const app = Fastify();
    await app.register(prmkitPlugin, { resourceServer: config });
    expect(() => app.requireAuth({ scopes: ['a b'] })).toThrow(PrmkitConfigError);
    expect(() =>
      app.get('/bad', { config: { prmkit: { scopes: ['a b'] } } }, async () => 'never'),
    ).toThrow(/invalid scope token/);
    await app.close();
  });

  it('refuses requireAuth() on a hook other than preParsing, naming the right one', async () => {
    const app = Fastify();
    await app.register(prmkitPlugin, { resourceServer: config });
    expect(() =>
      app.get('/wrong', { preHandler: app.requireAuth() as never }, async () => 'never'),
    ).toThrow(/preParsing/);
    await app.close();
  });

  it('fails registration with PrmkitConfigError for a bad config', async () => {
    const app = Fastify();
    await expect(
      app.register(prmkitPlugin, { resourceServer: { ...config, resource: 'not a url' } }),
    ).rejects.toBeInstanceOf(PrmkitConfigError);
    await app.close().catch(() => undefined);
  });
});
