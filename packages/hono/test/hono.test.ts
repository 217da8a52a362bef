import {
  findChallenge,
  parseWwwAuthenticate,
  PrmkitConfigError,
  createResourceServer,
} from '@prmkit/core';
import type { ResourceServerConfig } from '@prmkit/core';
import { startFixture } from '@prmkit/adapter-tests';
import type { SuiteFixture } from '@prmkit/adapter-tests';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prmkit } from '../src/index.js';
import type { PrmkitEnv } from '../src/index.js';
import { buildApp } from './harness.js';

// The suite's fixture provides the issuer; requests go through app.request(), no server.
describe('hono: app.request() without a server', () => {
  let fx: SuiteFixture;
  let app: Hono<PrmkitEnv>;
  beforeAll(async () => {
    fx = await startFixture({
      start: async ({ config }) => {
        app = buildApp(config);
        return { close: async () => undefined };
      },
    });
  });
  afterAll(() => fx?.close());

  it('serves the metadata', async () => {
    const res = await app.request(new URL(fx.metadataUrl).pathname);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { resource: string }).resource).toBe(fx.resource);
  });

  it('challenges a request without a token', async () => {
    const res = await app.request('/mcp');
    expect(res.status).toBe(401);
    const params = findChallenge(
      parseWwwAuthenticate(res.headers.get('www-authenticate') ?? ''),
      'Bearer',
    )?.params;
    expect(params?.resource_metadata).toBe(fx.metadataUrl);
    expect(params?.error).toBeUndefined();
  });

  it('sets c.get("auth") for a good token', async () => {
    const res = await app.request('/mcp', {
      headers: { authorization: `Bearer ${await fx.mint()}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ subject: 'user-123', scopes: ['mcp:tools'] });
  });

  it('leaves c.req.raw unread for web-standard handlers (the MCP SDK takes the raw Request)', async () => {
    const prm = prmkit(fx.config);
    const local = new Hono<PrmkitEnv>();
    local.post('/mcp', prm.requireAuth(), async (c) =>
      c.json({ raw: (await c.req.raw.json()) as unknown }),
    );
    const message = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
    const res = await local.request('/mcp', {
      method: 'POST',
      headers: { authorization: `Bearer ${await fx.mint()}`, 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ raw: message });
  });
});

describe('hono: metadata of a resource whose path is percent-encoded', () => {
  it('is served at the encoded well-known path', async () => {
    const prm = prmkit({
      resource: 'https://api.example.com/caf%C3%A9/mcp',
      authorizationServers: ['https://auth.example.com'],
    });
    const app = new Hono();
    app.use(prm.metadata);
    const res = await app.request(
      'https://api.example.com/.well-known/oauth-protected-resource/caf%C3%A9/mcp',
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { resource: string }).resource).toBe(
      'https://api.example.com/caf%C3%A9/mcp',
    );
  });
});

describe('hono: construction', () => {
  const config: ResourceServerConfig = {
    resource: 'http://127.0.0.1:1/mcp',
    authorizationServers: ['http://127.0.0.1:2'],
    jwt: { jwksUri: 'http://127.0.0.1:2/jwks' },
    allowHttp: 'loopback',
  };

  it('accepts an existing resource server', () => {
    const rs = createResourceServer(config);
    expect(prmkit(rs).resourceServer).toBe(rs);
  });

  it('throws PrmkitConfigError eagerly for a bad config', () => {
    expect(() => prmkit({ ...config, resource: 'not a url' })).toThrow(PrmkitConfigError);
  });

  it('refuses a route scope that is not one scope token, when the route is made', () => {
    const prm = prmkit(config);
    expect(() => prm.requireAuth({ scopes: ['mcp:tools mcp:admin'] })).toThrow(PrmkitConfigError);
    expect(() => prm.requireAuth({ scopes: [''] })).toThrow(/invalid scope token/);
    expect(() => prm.requireAuth({ scopes: ['mcp:admin'] })).not.toThrow();
  });
});
