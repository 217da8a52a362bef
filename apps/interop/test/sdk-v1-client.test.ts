// The MCP SDK v1 client (@modelcontextprotocol/sdk 1.x, still what most MCP clients ship)
// with its own OAuth code against each example server and the bundled authorization server.
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startAuthorizationServer } from '@prmkit/authorization-server';
import type { RunningAuthorizationServer } from '@prmkit/authorization-server';
import { followAuthorizationRedirects } from '@prmkit/testing';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadlessOAuthProvider } from './support/headless-provider.js';
import { FRAMEWORKS, SERVERS } from './support/servers.js';
import { textOf, tracingFetch, type Traced } from './support/trace.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';

describe.each(FRAMEWORKS)(
  'MCP SDK v1 client, own OAuth provider → %s example server',
  (framework) => {
    let as: RunningAuthorizationServer;
    let server: RunningExampleServer;
    const trace: Traced[] = [];
    let provider: HeadlessOAuthProvider;
    let client: Client;

    beforeAll(async () => {
      as = await startAuthorizationServer({ port: 0, autoApprove: {} });
      server = await SERVERS[framework]({ port: 0, issuer: as.issuer });
      provider = new HeadlessOAuthProvider({
        redirectUri: REDIRECT_URI,
        clientName: `sdk v1 interop (${framework})`,
        login: followAuthorizationRedirects({ redirectUri: REDIRECT_URI }),
      });
    });
    afterAll(async () => {
      await client?.close();
      await server?.close();
      await as?.close();
    });

    const newTransport = () =>
      new StreamableHTTPClientTransport(new URL(server.url), {
        authProvider: provider as never,
        fetch: tracingFetch(trace),
      });

    it('connects after the login, lists and calls tools', async () => {
      const first = newTransport();
      await expect(
        new Client({ name: 'interop', version: '0' }).connect(first),
      ).rejects.toBeInstanceOf(UnauthorizedError);
      expect(provider.authorizationUrls[0]?.searchParams.get('resource')).toBe(server.resource);
      await first.finishAuth(provider.takeCallback().get('code') ?? '');
      await first.close();

      client = new Client({ name: 'interop', version: '0' });
      await client.connect(newTransport());
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['admin_stats', 'echo', 'whoami']);
      const echo = await client.callTool({ name: 'echo', arguments: { text: 'from sdk v1' } });
      expect(textOf(echo)).toBe('from sdk v1');
      const me = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
        subject: string;
        scopes: string[];
      };
      expect(me.subject).toBe('alice');
      expect(me.scopes).toEqual(['mcp:tools']);
    });

    // Upstream bug modelcontextprotocol/typescript-sdk#2255: on 403 insufficient_scope the v1
    // client refreshes its token (same scope) instead of re-authorizing with the wider scope,
    // then gives up. This asserts today's behaviour so that it fails once the SDK is fixed:
    // then replace it with the step-up assertions of sdk-v2-client.test.ts.
    it('step-up to mcp:admin: refreshes instead of re-authorizing, then gives up (typescript-sdk#2255)', async () => {
      const before = trace.length;
      await expect(client.callTool({ name: 'admin_stats', arguments: {} })).rejects.toThrow(
        /403 after trying upscoping/,
      );
      const during = trace.slice(before);
      // The server did challenge for the wider scope ...
      expect(during.filter((t) => t.url === server.url).map((t) => t.status)).toEqual([403, 403]);
      // ... and the SDK answered with a refresh, not a new authorization.
      expect(during.map((t) => t.grantType).filter(Boolean)).toEqual(['refresh_token']);
      expect(provider.authorizationUrls).toHaveLength(1);
      // The server is not the problem: the plain tools still work with the refreshed token.
      const echo = await client.callTool({ name: 'echo', arguments: { text: 'still here' } });
      expect(textOf(echo)).toBe('still here');
    });
  },
);
