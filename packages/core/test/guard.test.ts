import { describe, expect, it } from 'vitest';
import { guardRequest, routeRequirement } from '../src/adapter.js';
import type { GuardRequest } from '../src/adapter.js';
import { createResourceServer, findChallenge, parseWwwAuthenticate } from '../src/index.js';
import type { ResourceServerConfig } from '../src/index.js';

const base: ResourceServerConfig = {
  resource: 'http://127.0.0.1:1/mcp',
  authorizationServers: ['http://127.0.0.1:2'],
  jwt: { jwksUri: 'http://127.0.0.1:2/jwks' },
  allowHttp: 'loopback',
  requiredScopes: ['mcp:tools'],
};
const withTools: ResourceServerConfig = { ...base, toolScopes: { admin_stats: ['mcp:admin'] } };
const call = (name: string): string =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } });

/** A request whose body getter counts how often the guard asks for the stream. */
function request(method: string, body: string): { req: GuardRequest; reads: () => number } {
  let reads = 0;
  const req: GuardRequest = {
    method,
    url: '/mcp',
    headers: { 'content-type': 'application/json' },
    get unreadBody() {
      reads++;
      return new Blob([body]).stream();
    },
  };
  return { req, reads: () => reads };
}

const challengedScope = (header: string | undefined): string | undefined =>
  findChallenge(parseWwwAuthenticate(header ?? ''), 'Bearer')?.params.scope;

describe('guardRequest: the body is read only when a rule needs it', () => {
  it('never touches the body without toolScopes or scopesForMessage', async () => {
    const { req, reads } = request('POST', call('admin_stats'));
    const result = await guardRequest(
      createResourceServer(base),
      req,
      routeRequirement(undefined, 't'),
    );
    expect(result.ok).toBe(false);
    expect(result.body.read).toBe(false);
    expect(reads()).toBe(0);
  });

  it('calls an unreadBody function only when a rule needs the body (Hono clones lazily)', async () => {
    let calls = 0;
    const lazy = { method: 'POST', url: '/mcp', headers: { 'content-type': 'application/json' } };
    const unreadBody = () => (calls++, new Blob([call('admin_stats')]).stream());
    await guardRequest(
      createResourceServer(base),
      { ...lazy, unreadBody },
      routeRequirement(undefined, 't'),
    );
    expect(calls).toBe(0);
    const result = await guardRequest(
      createResourceServer(withTools),
      { ...lazy, unreadBody },
      routeRequirement(undefined, 't'),
    );
    expect(calls).toBe(1);
    expect(result.body.read).toBe(true);
  });

  it('never touches the body of a GET, even with toolScopes', async () => {
    const { req, reads } = request('GET', '');
    const result = await guardRequest(
      createResourceServer(withTools),
      req,
      routeRequirement(undefined, 't'),
    );
    expect(result.body.read).toBe(false);
    expect(reads()).toBe(0);
  });

  it('reads and decodes a JSON-RPC POST once, and the tool decides the scope', async () => {
    const rs = createResourceServer(withTools);
    const admin = request('POST', call('admin_stats'));
    const adminResult = await guardRequest(rs, admin.req, routeRequirement(undefined, 't'));
    expect(admin.reads()).toBe(1);
    expect(adminResult.body).toMatchObject({ read: true, json: { ok: true } });
    expect(
      adminResult.ok ? '' : challengedScope(adminResult.answer.headers['www-authenticate']),
    ).toBe('mcp:tools mcp:admin');
    const echo = request('POST', call('echo'));
    const echoResult = await guardRequest(rs, echo.req, routeRequirement(undefined, 't'));
    expect(
      echoResult.ok ? '' : challengedScope(echoResult.answer.headers['www-authenticate']),
    ).toBe('mcp:tools');
  });

  it('fails closed on a body over the limit or malformed: every tool scope applies', async () => {
    const rs = createResourceServer(withTools);
    const big = request('POST', call('echo'));
    const tooLarge = await guardRequest(
      rs,
      { ...big.req, unreadBody: big.req.unreadBody, bodyLimit: 8 },
      routeRequirement(undefined, 't'),
    );
    expect(tooLarge.body).toMatchObject({
      read: true,
      json: { ok: false, reason: 'too_large' },
      raw: { complete: false },
    });
    expect(tooLarge.ok ? '' : challengedScope(tooLarge.answer.headers['www-authenticate'])).toBe(
      'mcp:tools mcp:admin',
    );
    const bad = request('POST', '{"jsonrpc":');
    const malformed = await guardRequest(rs, bad.req, routeRequirement(undefined, 't'));
    expect(malformed.body).toMatchObject({ read: true, json: { ok: false, reason: 'malformed' } });
    expect(malformed.ok ? '' : challengedScope(malformed.answer.headers['www-authenticate'])).toBe(
      'mcp:tools mcp:admin',
    );
  });

  it('calls a bodyLimit function only when it reads a body, and applies what it returns', async () => {
    let asked = 0;
    const bodyLimit = () => (asked++, 8);
    const get = request('GET', '');
    await guardRequest(
      createResourceServer(withTools),
      { ...get.req, bodyLimit },
      routeRequirement(undefined, 't'),
    );
    expect(asked).toBe(0);
    const post = request('POST', call('echo'));
    const result = await guardRequest(
      createResourceServer(withTools),
      { ...post.req, unreadBody: post.req.unreadBody, bodyLimit },
      routeRequirement(undefined, 't'),
    );
    expect(asked).toBe(1);
    expect(result.body).toMatchObject({ read: true, json: { ok: false, reason: 'too_large' } });
  });
});
