// @prmkit/client against Glewlwyd, knowing only the MCP URL: discovery (RFC 9728, then
// OpenID Connect discovery, since Glewlwyd has no RFC 8414 document), the code flow with a
// pre-registered client and with dynamic registration, step-up, and Glewlwyd's deviations.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { main } from '@prmkit/cli';
import { createAuthFetch, type DiscoveryResult } from '@prmkit/client';
import { glewlwydLogin, startGlewlwyd, type RunningGlewlwyd } from '@prmkit/interop';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithGlewlwyd } from './support/glewlwyd-gate.js';
import { SERVERS } from './support/servers.js';
import { textOf, tracingFetch, type Traced } from './support/trace.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';

describeWithGlewlwyd('@prmkit/client → express example server → Glewlwyd', () => {
  let glewlwyd: RunningGlewlwyd;
  let server: RunningExampleServer;

  beforeAll(async () => {
    glewlwyd = await startGlewlwyd({ redirectUris: [REDIRECT_URI] });
    server = await SERVERS.express({ port: 0, issuer: glewlwyd.issuer });
    await glewlwyd.allowResources([server.resource]);
  });
  afterAll(async () => {
    await server?.close();
    await glewlwyd?.close();
  });

  async function run(options: Partial<Parameters<typeof createAuthFetch>[0]>) {
    const trace: Traced[] = [];
    const discoveries: DiscoveryResult[] = [];
    const authFetch = createAuthFetch({
      fetch: tracingFetch(trace),
      allowHttp: 'loopback',
      redirectUri: REDIRECT_URI,
      openAuthorizationUrl: glewlwydLogin(glewlwyd),
      onDiscovery: (result) => discoveries.push(result),
      ...options,
    });
    const client = new Client({ name: 'interop', version: '0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), { fetch: authFetch }),
    );
    try {
      const { tools } = await client.listTools();
      const me = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
        clientId: string;
        scopes: string[];
        issuer: string;
      };
      const stats = await client.callTool({ name: 'admin_stats', arguments: {} });
      const after = JSON.parse(
        textOf(await client.callTool({ name: 'whoami', arguments: {} })),
      ) as {
        scopes: string[];
      };
      return { tools, me, stats, after, trace, discoveries };
    } finally {
      await client.close();
    }
  }

  it('zero-config flow with the pre-registered public client, step-up included', async () => {
    const result = await run({ client: { clientId: glewlwyd.publicClient.clientId } });
    expect(result.tools.map((t) => t.name).sort()).toEqual(['admin_stats', 'echo', 'whoami']);
    expect(result.me).toMatchObject({ clientId: 'mcp-public', issuer: glewlwyd.issuer });
    expect(result.me.scopes).toEqual(['mcp:tools']);
    expect(result.stats.isError).toBeFalsy();
    expect(result.after.scopes).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));
    // The RFC 8414 locations answer 404; OpenID Connect path-append discovery is what works.
    expect(result.trace).toContainEqual(
      expect.objectContaining({ url: glewlwyd.discoveryUrl, status: 200 }),
    );
  });

  it('zero-config flow with dynamic registration, step-up included', async () => {
    const result = await run({});
    expect(result.me.clientId).not.toBe('mcp-public');
    expect(result.stats.isError).toBeFalsy();
    expect(result.after.scopes).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));
  });

  it('client_credentials with the pre-registered service client (not in grant_types_supported)', async () => {
    const authFetch = createAuthFetch({
      allowHttp: 'loopback',
      grant: 'client_credentials',
      client: glewlwyd.serviceClient,
    });
    const client = new Client({ name: 'interop-service', version: '0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), { fetch: authFetch }),
    );
    try {
      const me = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
        subject: string;
        scopes: string[];
      };
      expect(me.subject).toBe(glewlwyd.serviceClient.clientId);
      const stats = await client.callTool({ name: 'admin_stats', arguments: {} });
      expect(stats.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it('`prmkit inspect` passes and says it found the OpenID Connect document', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(['inspect', server.url, '--allow-http-loopback'], {
      stdout: { write: (chunk: string) => ((stdout += chunk), true) } as never,
      stderr: { write: (chunk: string) => ((stderr += chunk), true) } as never,
      env: { NO_COLOR: '1' },
    });
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain(`found at ${glewlwyd.discoveryUrl} (OpenID Connect Discovery)`);
  });
});
