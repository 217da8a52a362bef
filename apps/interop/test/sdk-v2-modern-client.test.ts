// The official MCP SDK v2 client in the 2026-07-28 era (version negotiation pinned: no
// `initialize`, a `_meta` envelope on every request, MCP-Protocol-Version / Mcp-Method /
// Mcp-Name headers per SEP-2243) against each example server behind prmkit, with its own
// OAuth provider, the bundled authorization server, and step-up to mcp:admin on 403.
import {
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { startAuthorizationServer } from '@prmkit/authorization-server';
import type { RunningAuthorizationServer } from '@prmkit/authorization-server';
import { followAuthorizationRedirects } from '@prmkit/testing';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadlessOAuthProvider } from './support/headless-provider.js';
import { FRAMEWORKS, SERVERS } from './support/servers.js';
import { textOf, tracingFetch, type Traced } from './support/trace.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';
const MODERN = '2026-07-28';

describe.each(FRAMEWORKS)('MCP SDK v2 client, 2026-07-28 era → %s example server', (framework) => {
  let as: RunningAuthorizationServer;
  let server: RunningExampleServer;

  beforeAll(async () => {
    as = await startAuthorizationServer({ port: 0, autoApprove: {} });
    server = await SERVERS[framework]({ port: 0, issuer: as.issuer });
  });
  afterAll(async () => {
    await server?.close();
    await as?.close();
  });

  it('no initialize, SEP-2243 headers on every request, tools called, step-up on 403', async () => {
    const trace: Traced[] = [];
    const provider = new HeadlessOAuthProvider({
      redirectUri: REDIRECT_URI,
      clientName: `sdk v2 modern interop (${framework})`,
      login: followAuthorizationRedirects({ redirectUri: REDIRECT_URI }),
    });
    const newTransport = () =>
      new StreamableHTTPClientTransport(new URL(server.url), {
        authProvider: provider,
        fetch: tracingFetch(trace),
      });
    const newClient = () =>
      new Client(
        { name: 'interop-modern', version: '0' },
        { versionNegotiation: { mode: { pin: MODERN } } },
      );

    const first = newTransport();
    await expect(newClient().connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrls[0]?.searchParams.get('resource')).toBe(server.resource);
    await first.finishAuth(provider.takeCallback());
    await first.close();

    const transport = newTransport();
    const client = newClient();
    await client.connect(transport);
    try {
      expect(client.getProtocolEra()).toBe('modern');
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['admin_stats', 'echo', 'whoami']);
      const echo = await client.callTool({ name: 'echo', arguments: { text: 'modern era' } });
      expect(textOf(echo)).toBe('modern era');

      // admin_stats needs mcp:admin: decided from Mcp-Name, 403 → the SDK re-authorizes.
      await expect(client.callTool({ name: 'admin_stats', arguments: {} })).rejects.toBeInstanceOf(
        UnauthorizedError,
      );
      const stepUpScope = provider.authorizationUrls.at(-1)?.searchParams.get('scope') ?? '';
      expect(stepUpScope.split(' ')).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));
      await transport.finishAuth(provider.takeCallback());
      const stats = await client.callTool({ name: 'admin_stats', arguments: {} });
      expect(stats.isError).toBeFalsy();
      expect(JSON.parse(textOf(stats))).toMatchObject({ toolCalls: expect.any(Number) });
    } finally {
      await client.close();
    }

    const mcpPosts = trace.filter((t) => t.url === server.url && t.method === 'POST');
    expect(mcpPosts.map((t) => t.rpcMethod)).not.toContain('initialize');
    const calls = mcpPosts.filter((t) => t.rpcMethod === 'tools/call');
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const t of mcpPosts.filter((p) => p.rpcMethod !== undefined && p.status !== 202)) {
      expect(t.mcp?.protocolVersion).toBe(MODERN);
      expect(t.mcp?.method).toBe(t.rpcMethod);
    }
    expect(calls.map((t) => t.mcp?.name)).toEqual(expect.arrayContaining(['echo', 'admin_stats']));
    expect(calls.map((t) => t.status)).toContain(403);
  });

  it('a hand-built 2026-07-28 request whose Mcp-Name lies about the tool: 400 -32020', async () => {
    const provider = new HeadlessOAuthProvider({
      redirectUri: REDIRECT_URI,
      clientName: `sdk v2 modern mismatch (${framework})`,
      login: followAuthorizationRedirects({ redirectUri: REDIRECT_URI }),
    });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      authProvider: provider,
    });
    const client = new Client(
      { name: 'interop-modern', version: '0' },
      { versionNegotiation: { mode: { pin: MODERN } } },
    );
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    await transport.finishAuth(provider.takeCallback());
    await transport.close();
    const token = (provider.tokens() as { access_token: string }).access_token;
    const call = (name: string, headerName: string) =>
      fetch(server.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': MODERN,
          'mcp-method': 'tools/call',
          'mcp-name': headerName,
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 5,
          method: 'tools/call',
          params: {
            name,
            arguments: { text: 'hi' },
            _meta: {
              'io.modelcontextprotocol/protocolVersion': MODERN,
              'io.modelcontextprotocol/clientInfo': { name: 'hand-built', version: '0' },
              'io.modelcontextprotocol/clientCapabilities': {},
            },
          },
        }),
      });
    const lie = await call('admin_stats', 'echo');
    expect(lie.status).toBe(400);
    expect(lie.headers.get('www-authenticate')).toBeNull();
    const refused = (await lie.json()) as { error: { message: string } };
    expect(refused).toMatchObject({ jsonrpc: '2.0', id: 5, error: { code: -32020 } });
    // prmkit's answer (the SDK words its own differently): refused before the handler ran.
    expect(refused.error.message).toMatch(/^Header mismatch: Mcp-Name/);
    const honest = await call('echo', 'echo');
    expect(honest.status).toBe(200);
    expect(await honest.text()).toContain('hi');
  });
});
