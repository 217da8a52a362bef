import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { parseWwwAuthenticate } from '@prmkit/core';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { createTestIssuer } from '@prmkit/testing';
import type { TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS, SERVERS } from './servers.js';

// The same server behaviour with tokens minted by a test issuer: scope decisions at
// the HTTP layer and per-request identity, without the OAuth flow in between.

const bearerFetch =
  (token: string): typeof fetch =>
  (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers, signal: init?.signal ?? AbortSignal.timeout(5_000) });
  };

const post = (url: string, token: string, body: unknown): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });

const postRaw = (url: string, token: string, body: string): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body,
    signal: AbortSignal.timeout(5_000),
  });

const callTool = (id: number, name: string): unknown => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {} },
});

const bearerChallenge = (response: Response): Record<string, string> => {
  const challenge = parseWwwAuthenticate(response.headers.get('www-authenticate') ?? '').find(
    (c) => c.scheme.toLowerCase() === 'bearer',
  );
  return { ...(challenge?.params ?? {}) };
};

async function whoamiAs(
  url: string,
  token: string,
): Promise<{ subject: string; clientId: string; scopes: string[] }> {
  const client = new Client({ name: 'prmkit-e2e-direct', version: '0.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { fetch: bearerFetch(token) }),
  );
  try {
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    return result.structuredContent as { subject: string; clientId: string; scopes: string[] };
  } finally {
    await client.close();
  }
}

describe.each(FRAMEWORKS)('%s example server with minted tokens', (framework) => {
  let issuer: TestIssuer;
  let server: RunningExampleServer;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const start = SERVERS[framework];
    if (start === undefined) throw new Error(`no server for ${framework}`);
    // PRMKIT_JWKS_URI path: keys from the given JWKS rather than from discovery.
    server = await start({ port: 0, issuer: issuer.issuer, jwksUri: issuer.jwksUri });
  });

  afterAll(async () => {
    await server?.close();
    await issuer?.close();
  });

  it('gives each concurrent caller its own verified identity', async () => {
    const [alice, bob] = await Promise.all([
      issuer.mint({ sub: 'alice', client_id: 'app-a', aud: server.resource, scope: 'mcp:tools' }),
      issuer.mint({
        sub: 'bob',
        client_id: 'app-b',
        aud: server.resource,
        scope: 'mcp:tools mcp:admin',
      }),
    ]);
    const results = await Promise.all([
      whoamiAs(server.url, alice),
      whoamiAs(server.url, bob),
      whoamiAs(server.url, alice),
      whoamiAs(server.url, bob),
    ]);
    expect(results.map((r) => [r.subject, r.clientId])).toEqual([
      ['alice', 'app-a'],
      ['bob', 'app-b'],
      ['alice', 'app-a'],
      ['bob', 'app-b'],
    ]);
    expect(results[1]?.scopes).toEqual(['mcp:tools', 'mcp:admin']);
  });

  it('answers admin_stats without mcp:admin with 403 insufficient_scope naming it', async () => {
    const token = await issuer.mint({ aud: server.resource, scope: 'mcp:tools' });
    const response = await post(server.url, token, callTool(1, 'admin_stats'));
    expect(response.status).toBe(403);
    const params = bearerChallenge(response);
    expect(params['error']).toBe('insufficient_scope');
    expect(params['scope']?.split(' ')).toContain('mcp:admin');
    expect(params['resource_metadata']).toBe(
      new URL('/.well-known/oauth-protected-resource/mcp', server.url).href,
    );
  });

  it('applies the tool scope inside a JSON-RPC batch too', async () => {
    const token = await issuer.mint({ aud: server.resource, scope: 'mcp:tools' });
    const response = await post(server.url, token, [
      callTool(1, 'echo'),
      callTool(2, 'admin_stats'),
    ]);
    expect(response.status).toBe(403);
    expect(bearerChallenge(response)['error']).toBe('insufficient_scope');
  });

  it('lets a token with mcp:admin reach admin_stats', async () => {
    const token = await issuer.mint({ aud: server.resource, scope: 'mcp:tools mcp:admin' });
    const client = new Client({ name: 'prmkit-e2e-direct', version: '0.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), { fetch: bearerFetch(token) }),
    );
    try {
      const stats = await client.callTool({ name: 'admin_stats', arguments: {} });
      expect(stats.isError).toBeFalsy();
      expect(stats.structuredContent).toMatchObject({
        uptimeSeconds: expect.any(Number),
        toolCalls: expect.any(Number),
      });
    } finally {
      await client.close();
    }
  });

  it('fails closed on a body it cannot read: every tool scope is required', async () => {
    const token = await issuer.mint({ aud: server.resource, scope: 'mcp:tools' });
    const response = await postRaw(
      server.url,
      token,
      '{"jsonrpc":"2.0","id":1,"method":"tools/call",',
    );
    expect(response.status).toBe(403);
    expect(bearerChallenge(response)['error']).toBe('insufficient_scope');
  });

  it('answers malformed JSON from a fully scoped caller with a client error, not a crash', async () => {
    const token = await issuer.mint({ aud: server.resource, scope: 'mcp:tools mcp:admin' });
    const response = await postRaw(
      server.url,
      token,
      '{"jsonrpc":"2.0","id":1,"method":"tools/call",',
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it('refuses a token without the endpoint scope mcp:tools with 403', async () => {
    const token = await issuer.mint({ aud: server.resource, scope: 'mcp:admin' });
    const response = await post(server.url, token, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(response.status).toBe(403);
    expect(bearerChallenge(response)['scope']?.split(' ')).toContain('mcp:tools');
  });

  it('refuses a token issued for another resource with 401 invalid_token', async () => {
    const token = await issuer.mint({
      aud: 'http://localhost:1/mcp',
      scope: 'mcp:tools mcp:admin',
    });
    const response = await post(server.url, token, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(response.status).toBe(401);
    expect(bearerChallenge(response)['error']).toBe('invalid_token');
  });

  it('refuses an expired token with 401 invalid_token', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const token = await issuer.mint({
      aud: server.resource,
      scope: 'mcp:tools',
      iat: past - 60,
      exp: past,
    });
    const response = await post(server.url, token, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(response.status).toBe(401);
    expect(bearerChallenge(response)['error']).toBe('invalid_token');
  });

  it('does not serve a token in the query string (header only)', async () => {
    const token = await issuer.mint({ aud: server.resource, scope: 'mcp:tools' });
    const response = await fetch(`${server.url}?access_token=${token}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      signal: AbortSignal.timeout(5_000),
    });
    expect([400, 401]).toContain(response.status);
  });
});
