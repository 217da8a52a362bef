import {
  createResourceServer,
  findChallenge,
  parseWwwAuthenticate,
  PrmkitConfigError,
  type AuthInfo,
  type ResourceServer,
} from '@prmkit/core';
import { startFixture, type SuiteFixture } from '@prmkit/adapter-tests';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { metadataRoute, withPrmkit, type FetchHandler } from '../src/index.js';

// Requests go straight to the handlers (a `Request` in, a `Response` out, no server): the
// issuer and its JWKS are real, on loopback.
let fx: SuiteFixture;
let rs: ResourceServer;
beforeAll(async () => {
  fx = await startFixture({ start: async () => ({ close: async () => undefined }) });
  rs = createResourceServer(fx.config);
});
afterAll(() => fx?.close());

const at = (path: string, init?: RequestInit) => new Request(new URL(path, fx.origin), init);
const bearer = (res: Response) =>
  findChallenge(parseWwwAuthenticate(res.headers.get('www-authenticate') ?? ''), 'Bearer')?.params;
const toolCall = (name: string) =>
  JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: {} } });
const postJson = async (body: string, token?: string) =>
  at('/mcp', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body,
  });

describe('withPrmkit', () => {
  it('refuses without calling the handler, and answers verbatim', async () => {
    let calls = 0;
    const handler = withPrmkit(() => {
      calls++;
      return new Response('reached');
    }, rs);
    const res = await handler(at('/mcp'));
    expect(res.status).toBe(401);
    expect(bearer(res)).toEqual({ resource_metadata: fx.metadataUrl, scope: 'mcp:tools' });
    const garbage = await handler(at('/mcp', { headers: { authorization: 'Bearer x.y.z' } }));
    expect(garbage.status).toBe(401);
    expect(bearer(garbage)?.error).toBe('invalid_token');
    expect(calls).toBe(0);
  });

  it("hands the handler the verified token and returns the handler's own Response", async () => {
    const own = new Response('mine', { status: 201, headers: { 'x-own': '1' } });
    let seen: AuthInfo | undefined;
    const handler = withPrmkit((_request, auth) => {
      seen = auth;
      return own;
    }, rs);
    const token = await fx.mint({ sub: 'alice' });
    const res = await handler(at('/mcp', { headers: { authorization: `Bearer ${token}` } }));
    expect(res).toBe(own);
    expect(seen).toMatchObject({ subject: 'alice', token, scopes: ['mcp:tools'] });
  });

  it('reads a clone for per-tool scopes: the handler gets the body unread', async () => {
    const handler = withPrmkit(async (request, auth) => {
      expect(request.bodyUsed).toBe(false);
      return Response.json({ sub: auth.subject, body: await request.text() });
    }, rs);
    const body = toolCall('echo');
    const res = await handler(await postJson(body, await fx.mint()));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user-123', body });
  });

  it('steps up: a tool needing mcp:admin is 403 insufficient_scope with mcp:tools only', async () => {
    const handler = withPrmkit(() => new Response('reached'), rs);
    const low = await handler(await postJson(toolCall('admin_stats'), await fx.mint()));
    expect(low.status).toBe(403);
    expect(bearer(low)).toMatchObject({ error: 'insufficient_scope' });
    expect(bearer(low)?.scope?.split(' ')).toContain('mcp:admin');
    const high = await handler(
      await postJson(toolCall('admin_stats'), await fx.mint({ scope: 'mcp:tools mcp:admin' })),
    );
    expect(high.status).toBe(200);
    expect(await high.text()).toBe('reached');
  });

  it("a route's scopes apply on top of the configuration's", async () => {
    const handler = withPrmkit(() => new Response('admin'), rs, { scopes: ['mcp:admin'] });
    const headers = { authorization: `Bearer ${await fx.mint()}` };
    const res = await handler(at('/mcp', { headers }));
    expect(res.status).toBe(403);
    expect(bearer(res)?.error).toBe('insufficient_scope');
  });

  it('a body past bodyLimit is not inspected: the call needs every tool scope', async () => {
    const handler = withPrmkit(() => new Response('reached'), rs, { bodyLimit: 16 });
    const res = await handler(await postJson(toolCall('echo'), await fx.mint()));
    expect(res.status).toBe(403);
    expect(bearer(res)?.scope?.split(' ')).toContain('mcp:admin');
  });

  it('serves the metadata itself (path-aware and root), 405 to other methods', async () => {
    const handler = withPrmkit(() => new Response('reached'), rs);
    const doc = await handler(at(new URL(fx.metadataUrl).pathname));
    expect(doc.status).toBe(200);
    expect(await doc.json()).toMatchObject({ resource: fx.resource });
    const root = await handler(at('/.well-known/oauth-protected-resource'));
    expect(root.status).toBe(200);
    const post = await handler(at(new URL(fx.metadataUrl).pathname, { method: 'POST' }));
    expect(post.status).toBe(405);
  });

  it("passes the host's other arguments on (Workers' env and ctx) and to clientAddress", async () => {
    interface Env {
      readonly NAME: string;
    }
    const addresses: string[] = [];
    const handler = withPrmkit(
      (_request, auth, env: Env, ctx: { id: number }) =>
        Response.json({ sub: auth.subject, env: env.NAME, ctx: ctx.id }),
      rs,
      {
        clientAddress: (_request, _env, ctx) => {
          addresses.push(`10.0.0.${ctx.id}`);
          return `10.0.0.${ctx.id}`;
        },
      },
    );
    expectTypeOf(handler).toEqualTypeOf<FetchHandler<[Env, { id: number }]>>();
    const headers = { authorization: `Bearer ${await fx.mint()}` };
    const res = await handler(at('/mcp', { headers }), { NAME: 'worker' }, { id: 4 });
    expect(await res.json()).toEqual({ sub: 'user-123', env: 'worker', ctx: 4 });
    expect(addresses).toEqual(['10.0.0.4']);
  });

  it('refuses a bad route scope at once', () => {
    expect(() => withPrmkit(() => new Response(), rs, { scopes: ['a b'] })).toThrow(
      PrmkitConfigError,
    );
    expect(() =>
      withPrmkit(() => new Response(), { resource: 'not a url', authorizationServers: [] }),
    ).toThrow(PrmkitConfigError);
  });
});

describe('metadataRoute', () => {
  it('GET, HEAD and OPTIONS answer as the core does', async () => {
    const { GET, HEAD, OPTIONS } = metadataRoute(rs);
    const path = new URL(fx.metadataUrl).pathname;
    const get = GET(at(path));
    expect(get.status).toBe(200);
    const text = await get.text();
    expect(text).toBe(JSON.stringify(rs.metadata));
    const etag = get.headers.get('etag') ?? '';
    expect(GET(at(path, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const head = HEAD(at(path, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    const preflight = OPTIONS(
      at(path, { method: 'OPTIONS', headers: { 'access-control-request-method': 'GET' } }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('404 for a path that is not a metadata location (a catch-all route sees them all)', async () => {
    const { GET } = metadataRoute(rs);
    const res = GET(at('/.well-known/oauth-protected-resource/other'));
    expect(res.status).toBe(404);
  });

  it('takes a configuration too, validated at once', () => {
    expect(metadataRoute(fx.config).GET(at(new URL(fx.metadataUrl).pathname)).status).toBe(200);
    expect(() => metadataRoute({ resource: '', authorizationServers: [] })).toThrow(
      PrmkitConfigError,
    );
  });
});
