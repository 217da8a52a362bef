// The official MCP SDK v2 client with its own OAuth code (an OAuthClientProvider, not
// @prmkit/client) against each example server and the bundled authorization server.
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

// Nothing listens here: the headless login stops at the redirect to it.
const REDIRECT_URI = 'http://127.0.0.1:1/callback';

describe.each(FRAMEWORKS)(
  'MCP SDK v2 client, own OAuth provider → %s example server',
  (framework) => {
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

    it('connects, lists and calls tools, and steps up to mcp:admin on 403', async () => {
      const trace: Traced[] = [];
      const fetchFn = tracingFetch(trace);
      const provider = new HeadlessOAuthProvider({
        redirectUri: REDIRECT_URI,
        clientName: `sdk v2 interop (${framework})`,
        login: followAuthorizationRedirects({ redirectUri: REDIRECT_URI }),
      });
      const newTransport = () =>
        new StreamableHTTPClientTransport(new URL(server.url), {
          authProvider: provider,
          fetch: fetchFn,
        });

      // First contact: 401 → discovery → registration → authorization; the SDK says so.
      const first = newTransport();
      await expect(
        new Client({ name: 'interop', version: '0' }).connect(first),
      ).rejects.toBeInstanceOf(UnauthorizedError);
      expect(provider.authorizationUrls).toHaveLength(1);
      expect(provider.authorizationUrls[0]?.searchParams.get('resource')).toBe(server.resource);
      await first.finishAuth(provider.takeCallback());
      await first.close();

      const transport = newTransport();
      const client = new Client({ name: 'interop', version: '0' });
      await client.connect(transport);
      try {
        const { tools } = await client.listTools();
        expect(tools.map((tool) => tool.name).sort()).toEqual(['admin_stats', 'echo', 'whoami']);
        const echo = await client.callTool({ name: 'echo', arguments: { text: 'from sdk v2' } });
        expect(textOf(echo)).toBe('from sdk v2');
        const me = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
          scopes: string[];
          subject: string;
        };
        expect(me.subject).toBe('alice');
        expect(me.scopes).not.toContain('mcp:admin');

        // admin_stats needs mcp:admin: 403 insufficient_scope → the SDK re-authorizes.
        await expect(
          client.callTool({ name: 'admin_stats', arguments: {} }),
        ).rejects.toBeInstanceOf(UnauthorizedError);
        expect(provider.authorizationUrls).toHaveLength(2);
        const stepUpScope = provider.authorizationUrls[1]?.searchParams.get('scope') ?? '';
        expect(stepUpScope.split(' ')).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));
        await transport.finishAuth(provider.takeCallback());
        expect(provider.grantedScope?.split(' ')).toEqual(
          expect.arrayContaining(['mcp:tools', 'mcp:admin']),
        );

        const stats = await client.callTool({ name: 'admin_stats', arguments: {} });
        expect(stats.isError).toBeFalsy();
        expect(JSON.parse(textOf(stats))).toMatchObject({ toolCalls: expect.any(Number) });

        const mcpStatuses = trace.filter((t) => t.url === server.url).map((t) => t.status);
        expect(mcpStatuses[0]).toBe(401);
        expect(mcpStatuses).toContain(403);
        const codeExchanges = trace.filter(
          (t) => t.grantType === 'authorization_code' && t.status === 200,
        );
        expect(codeExchanges).toHaveLength(2);
      } finally {
        await client.close();
      }
    });
  },
);
