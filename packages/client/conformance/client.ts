/**
 * MCP conformance client for @prmkit/client: `conformance client --command "<this>"` runs
 * it with the server URL as the last argument and the scenario in
 * MCP_CONFORMANCE_SCENARIO (credentials, when the scenario has any, in
 * MCP_CONFORMANCE_CONTEXT). Only @prmkit/client and the MCP SDK client are used.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createAuthFetch } from '@prmkit/client';
import { followAuthorizationRedirects } from '@prmkit/testing';
import type { AuthFetchOptions } from '@prmkit/client';

interface ConformanceContext {
  readonly client_id?: string;
  readonly client_secret?: string;
  readonly private_key_pem?: string;
  readonly signing_algorithm?: string;
}

const serverUrl = process.argv.at(-1);
const scenario = process.env['MCP_CONFORMANCE_SCENARIO'] ?? '';
const context = JSON.parse(process.env['MCP_CONFORMANCE_CONTEXT'] ?? '{}') as ConformanceContext;
// Runner 0.2.x sets this; '2026-07-28' scenarios mock a stateless server (server/discover,
// MCP-Protocol-Version on every request), which the SDK speaks only when pinned to it.
const protocolVersion = process.env['MCP_CONFORMANCE_PROTOCOL_VERSION'];
const modernEra = protocolVersion !== undefined && protocolVersion >= '2026-07-28';

// The suite's authorization endpoint approves at once and redirects; nothing listens here.
const redirectUri = 'http://127.0.0.1:3333/callback';

function authOptions(): AuthFetchOptions {
  const base = { allowHttp: 'loopback' as const };
  if (scenario === 'auth/client-credentials-jwt') {
    return {
      ...base,
      grant: 'client_credentials',
      client: {
        clientId: context.client_id ?? '',
        privateKey: context.private_key_pem,
        signingAlgorithm: context.signing_algorithm,
        tokenEndpointAuthMethod: 'private_key_jwt',
      },
    };
  }
  if (scenario === 'auth/client-credentials-basic') {
    return {
      ...base,
      grant: 'client_credentials',
      client: { clientId: context.client_id ?? '', clientSecret: context.client_secret },
    };
  }
  return {
    ...base,
    redirectUri,
    openAuthorizationUrl: followAuthorizationRedirects({ redirectUri }),
    clientMetadataUrl: 'https://conformance-test.local/client-metadata.json',
    clientMetadata: { client_name: 'prmkit conformance client' },
    ...(context.client_id
      ? { client: { clientId: context.client_id, clientSecret: context.client_secret } }
      : {}),
  };
}

async function main(): Promise<void> {
  if (!serverUrl || !/^https?:\/\//.test(serverUrl))
    throw new Error('usage: client.ts <server-url>');
  const transport = new StreamableHTTPClientTransport(new URL(serverUrl), {
    fetch: createAuthFetch(authOptions()),
  });
  const client = new Client(
    { name: 'prmkit-conformance-client', version: '0.0.0' },
    modernEra ? { versionNegotiation: { mode: { pin: protocolVersion } } } : {},
  );
  await client.connect(transport);
  const { tools } = await client.listTools();
  const tool = tools.find((t) => t.name === 'test-tool') ?? tools[0];
  if (tool) await client.callTool({ name: tool.name, arguments: {} });
  await client.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const e = error as { code?: string; message?: string };
    console.error(`prmkit conformance client: ${e.code ?? 'error'}: ${e.message ?? String(error)}`);
    process.exit(1);
  },
);
