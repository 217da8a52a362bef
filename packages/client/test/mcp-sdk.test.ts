import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { createResourceServer } from '@prmkit/core';
import { followAuthorizationRedirects, listen, readBody } from '@prmkit/testing';
import { createAuthFetch } from '@prmkit/client';
import { REDIRECT, fixtureAs, onClose } from './helpers.js';

/** Node request → Web Request (body already read). */
function toRequest(req: IncomingMessage, body: string, origin: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === 'string') headers.set(k, v);
    else if (Array.isArray(v)) for (const item of v) headers.append(k, item);
  }
  const method = req.method ?? 'GET';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
  });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  const reader = response.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    res.write(next.value);
  }
  res.end();
}

describe('MCP SDK v2 client with createAuthFetch', () => {
  it('connects, lists and calls a tool on an MCP server protected by @prmkit/core', async () => {
    const as = await fixtureAs({ metadata: () => ({ scopes_supported: ['mcp:tools'] }) });
    const mcp = createMcpHandler(
      () => {
        const server = new McpServer({ name: 'protected', version: '1.0.0' });
        server.registerTool('hello', { description: 'says hello' }, async () => ({
          content: [{ type: 'text', text: 'hello from a protected server' }],
        }));
        return server;
      },
      { legacy: 'stateless' },
    );
    let origin = '';
    const holder: { rs?: ReturnType<typeof createResourceServer> } = {};
    const server = await listen(async (req, res) => {
      const body = await readBody(req);
      const { rs } = holder;
      if (!rs) throw new Error('not ready');
      const url = new URL(req.url ?? '/', origin);
      if (rs.metadataPaths.includes(url.pathname)) {
        const m = rs.handleMetadataRequest({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
        });
        res.writeHead(m.status, m.headers).end(m.body);
        return;
      }
      const parsed =
        body && req.headers['content-type']?.includes('json')
          ? (JSON.parse(body) as unknown)
          : undefined;
      const decision = await rs.authorize({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: parsed,
      });
      if (!decision.ok) {
        res.writeHead(decision.status, decision.headers).end(decision.body);
        return;
      }
      await writeResponse(res, await mcp.fetch(toRequest(req, body, origin)));
    });
    onClose(server.close);
    origin = server.url;
    holder.rs = createResourceServer({
      resource: `${origin}/mcp`,
      authorizationServers: [as.issuer],
      scopesSupported: ['mcp:tools'],
      requiredScopes: ['mcp:tools'],
      jwt: { jwksUri: `${as.origin}/jwks`, algorithms: ['ES256'] },
      allowHttp: 'loopback',
    });

    const discovered: string[] = [];
    const authFetch = createAuthFetch({
      allowHttp: 'loopback',
      redirectUri: REDIRECT,
      openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT }),
      onDiscovery: (d) => discovered.push(d.issuer),
    });
    const transport = new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
      fetch: authFetch,
    });
    const client = new Client({ name: 'prmkit-test', version: '0.0.0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('hello');
    const result = await client.callTool({ name: 'hello', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'hello from a protected server' }]);
    await client.close();

    expect(discovered).toEqual([as.issuer]);
    const authorize = new URL(as.requests.find((r) => r.path === '/authorize')?.url ?? '');
    expect(authorize.searchParams.get('resource')).toBe(`${origin}/mcp`);
    expect(authorize.searchParams.get('scope')).toBe('mcp:tools');
    expect(as.requests.filter((r) => r.path === '/token')).toHaveLength(1);
  });

  it('passes the SEP-2243 headers of a 2026-07-28 client through untouched, step-up retry included', async () => {
    const as = await fixtureAs({
      metadata: () => ({ scopes_supported: ['mcp:tools', 'mcp:admin'] }),
    });
    const mcp = createMcpHandler(
      () => {
        const server = new McpServer({ name: 'protected', version: '1.0.0' });
        server.registerTool('hello', { description: 'says hello' }, async () => ({
          content: [{ type: 'text', text: 'hello' }],
        }));
        server.registerTool('admin_stats', { description: 'needs mcp:admin' }, async () => ({
          content: [{ type: 'text', text: 'stats' }],
        }));
        return server;
      },
      { legacy: 'stateless' },
    );
    const MCP_HEADERS = ['mcp-method', 'mcp-name', 'mcp-protocol-version'] as const;
    const pick = (h: Headers | Record<string, string | string[] | undefined>) =>
      MCP_HEADERS.map((n) => (h instanceof Headers ? h.get(n) : ((h[n] as string) ?? null)));
    const received: { body: string; headers: (string | null)[] }[] = [];
    let origin = '';
    const holder: { rs?: ReturnType<typeof createResourceServer> } = {};
    const server = await listen(async (req, res) => {
      const body = await readBody(req);
      const { rs } = holder;
      if (!rs) throw new Error('not ready');
      const url = new URL(req.url ?? '/', origin);
      if (rs.metadataPaths.includes(url.pathname)) {
        const m = rs.handleMetadataRequest({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
        });
        res.writeHead(m.status, m.headers).end(m.body);
        return;
      }
      if (req.method === 'POST') received.push({ body, headers: pick(req.headers) });
      const parsed = body ? (JSON.parse(body) as unknown) : undefined;
      const decision = await rs.authorize({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: parsed,
      });
      if (!decision.ok) {
        res.writeHead(decision.status, decision.headers).end(decision.body);
        return;
      }
      await writeResponse(res, await mcp.fetch(toRequest(req, body, origin)));
    });
    onClose(server.close);
    origin = server.url;
    holder.rs = createResourceServer({
      resource: `${origin}/mcp`,
      authorizationServers: [as.issuer],
      scopesSupported: ['mcp:tools', 'mcp:admin'],
      requiredScopes: ['mcp:tools'],
      toolScopes: { admin_stats: ['mcp:admin'] },
      jwt: { jwksUri: `${as.origin}/jwks`, algorithms: ['ES256'] },
      allowHttp: 'loopback',
    });

    const sent = new Map<string, (string | null)[]>(); // body → the SDK's MCP headers
    const authFetch = createAuthFetch({
      allowHttp: 'loopback',
      redirectUri: REDIRECT,
      openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT }),
    });
    const recordingFetch: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method === 'POST') sent.set(await request.clone().text(), pick(request.headers));
      return authFetch(request);
    };
    const transport = new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
      fetch: recordingFetch,
    });
    const client = new Client(
      { name: 'prmkit-test', version: '0.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(transport);
    expect(client.getProtocolEra()).toBe('modern');
    expect((await client.callTool({ name: 'hello', arguments: {} })).content).toEqual([
      { type: 'text', text: 'hello' },
    ]);
    expect((await client.callTool({ name: 'admin_stats', arguments: {} })).content).toEqual([
      { type: 'text', text: 'stats' },
    ]);
    await client.close();

    // Every request the server received carries exactly the headers the SDK set on it,
    // the retries after the 401 (server/discover) and after the 403 step-up too.
    const calls = received.filter((r) => r.headers[0] === 'tools/call');
    // hello once; admin_stats refused 403 from its Mcp-Name, then retried after the step-up.
    expect(calls.map((r) => r.headers[1])).toEqual(['hello', 'admin_stats', 'admin_stats']);
    for (const r of received) {
      expect(sent.has(r.body)).toBe(true);
      expect(r.headers).toEqual(sent.get(r.body));
      expect(r.headers[2]).toBe('2026-07-28');
    }
    expect(as.requests.filter((r) => r.path === '/authorize')).toHaveLength(2); // step-up
  });
});
