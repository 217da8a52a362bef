import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startAuthorizationServer } from '@prmkit/authorization-server';
import type { RunningAuthorizationServer } from '@prmkit/authorization-server';
import { createAuthFetch } from '@prmkit/client';
import { followAuthorizationRedirects } from '@prmkit/testing';
import { parseWwwAuthenticate } from '@prmkit/core';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS, SERVERS } from './servers.js';

// Nothing listens here: followAuthorizationRedirects stops at the redirect to it.
const REDIRECT_URI = 'http://127.0.0.1:1/callback';

interface Traced {
  readonly method: string;
  readonly url: string;
  readonly status: number;
}

/** A fetch that records every exchange the client makes (to assert the flow, not mock it). */
function tracingFetch(log: Traced[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    log.push({ method: request.method, url: request.url, status: response.status });
    return response;
  };
}

const textOf = (result: unknown): string => {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join('');
};

describe.each(FRAMEWORKS)('%s example server, end to end', (framework) => {
  let as: RunningAuthorizationServer;
  let server: RunningExampleServer;
  const start = SERVERS[framework];

  beforeAll(async () => {
    if (start === undefined) throw new Error(`no server for ${framework}`);
    as = await startAuthorizationServer({ port: 0, host: '127.0.0.1', autoApprove: {} });
    server = await start({ port: 0, host: '127.0.0.1', issuer: as.issuer });
  });

  afterAll(async () => {
    await server?.close();
    await as?.close();
  });

  it('answers an anonymous request with 401 and a resource_metadata challenge', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(401);
    const header = response.headers.get('www-authenticate');
    expect(header).not.toBeNull();
    const bearer = parseWwwAuthenticate(header ?? '').find(
      (c) => c.scheme.toLowerCase() === 'bearer',
    );
    const metadataUrl = new URL('/.well-known/oauth-protected-resource/mcp', server.url).href;
    expect(bearer?.params['resource_metadata']).toBe(metadataUrl);
    expect(bearer?.params['scope']).toBe('mcp:tools');
  });

  it('serves the metadata at the path-aware URL with the exact resource', async () => {
    const response = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.url), {
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc['resource']).toBe(server.resource);
    expect(doc['authorization_servers']).toEqual([as.issuer]);
    expect(doc['scopes_supported']).toEqual(['mcp:tools', 'mcp:admin']);
  });

  it('refuses a forged token with 401 invalid_token', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('runs the whole flow with the official MCP client knowing only the URL, with step-up', async () => {
    const trace: Traced[] = [];
    const baseFetch = tracingFetch(trace);
    const authFetch = createAuthFetch({
      fetch: baseFetch,
      allowHttp: 'loopback',
      redirectUri: REDIRECT_URI,
      openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT_URI }),
      clientMetadata: { client_name: `prmkit e2e (${framework})` },
    });
    const client = new Client({ name: 'prmkit-e2e', version: '0.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { fetch: authFetch });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['admin_stats', 'echo', 'whoami']);

      const echo = await client.callTool({ name: 'echo', arguments: { text: 'hello, prmkit' } });
      expect(echo.isError).toBeFalsy();
      expect(textOf(echo)).toBe('hello, prmkit');

      const me = await client.callTool({ name: 'whoami', arguments: {} });
      expect(me.isError).toBeFalsy();
      const who = JSON.parse(textOf(me)) as {
        subject: string;
        clientId: string;
        scopes: string[];
        issuer: string;
      };
      expect(who.subject).toBe('alice');
      expect(who.clientId).toMatch(/.+/);
      expect(who.scopes).toContain('mcp:tools');
      expect(who.scopes).not.toContain('mcp:admin');
      expect(who.issuer).toBe(as.issuer);

      const stats = await client.callTool({ name: 'admin_stats', arguments: {} });
      expect(stats.isError).toBeFalsy();
      expect(JSON.parse(textOf(stats))).toMatchObject({ toolCalls: expect.any(Number) });

      // The step-up really went through a 403 and a second authorization.
      const mcpStatuses = trace.filter((t) => t.url === server.url).map((t) => t.status);
      expect(mcpStatuses[0]).toBe(401);
      expect(mcpStatuses).toContain(403);
      // Two code exchanges at the AS: the first authorization and the step-up to mcp:admin.
      const tokenGrants = trace.filter(
        (t) => t.url === `${as.issuer}/token` && t.method === 'POST' && t.status === 200,
      );
      expect(tokenGrants).toHaveLength(2);

      const after = await client.callTool({ name: 'whoami', arguments: {} });
      const whoAfter = JSON.parse(textOf(after)) as { scopes: string[] };
      expect(whoAfter.scopes).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));
    } finally {
      await client.close();
    }
  });
});
