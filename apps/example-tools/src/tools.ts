import { McpServer } from '@modelcontextprotocol/server';
import type { AuthInfo as SdkAuthInfo } from '@modelcontextprotocol/server';
import * as z from 'zod';

/** Name and version every example server reports in `initialize` / `server/discover`. */
export const EXAMPLE_SERVER_INFO = { name: 'prmkit-example', version: '0.0.0' } as const;

/** Per-tool scopes the adapters enforce (through core `toolScopes`), not the tools. */
export const EXAMPLE_TOOL_SCOPES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  admin_stats: Object.freeze(['mcp:admin']),
});

const startedAt = Date.now();
let toolCalls = 0;

const text = (value: string): { content: [{ type: 'text'; text: string }] } => ({
  content: [{ type: 'text', text: value }],
});

/** What `whoami` reports about the verified caller. */
export interface WhoamiResult {
  readonly subject: string | null;
  readonly clientId: string | null;
  readonly scopes: readonly string[];
  readonly issuer: string | null;
}

function whoami(authInfo: SdkAuthInfo | undefined): WhoamiResult | undefined {
  if (authInfo === undefined) return undefined;
  const extra = authInfo.extra ?? {};
  const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return {
    subject: str(extra['subject']),
    clientId: authInfo.clientId === '' ? null : authInfo.clientId,
    scopes: authInfo.scopes,
    issuer: str(extra['issuer']),
  };
}

/**
 * Registers the three example tools on an MCP SDK server:
 * - `echo`: returns its `text` (the endpoint's `mcp:tools` scope is enough);
 * - `whoami`: the verified subject, client id and scopes of the caller, read from the
 *   `authInfo` the adapter passed for this request (`ctx.http.authInfo`);
 * - `admin_stats`: process statistics. It needs `mcp:admin` too, but the adapter enforces
 *   that before the request reaches the SDK (see {@link EXAMPLE_TOOL_SCOPES}), so a
 *   token without it gets an HTTP 403 `insufficient_scope` and can step up.
 *
 * @example
 * ```ts
 * const server = new McpServer(EXAMPLE_SERVER_INFO);
 * registerExampleTools(server);
 * ```
 * @see MCP authorization, "Scope challenge handling" (step-up on 403)
 */
export function registerExampleTools(server: McpServer): McpServer {
  server.registerTool(
    'echo',
    {
      title: 'Echo',
      description: 'Returns the text it is given.',
      inputSchema: z.object({ text: z.string().max(10_000).describe('Text to echo back') }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ text: value }) => {
      toolCalls += 1;
      return text(value);
    },
  );

  server.registerTool(
    'whoami',
    {
      title: 'Who am I',
      description:
        'Returns the verified subject, client id and scopes of the access token used for this call.',
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (ctx) => {
      toolCalls += 1;
      const result = whoami(ctx.http?.authInfo);
      // Unreachable behind a prmkit adapter; fail closed if the server is wired without one.
      if (result === undefined)
        return { ...text('no verified access token for this request'), isError: true };
      return { ...text(JSON.stringify(result)), structuredContent: { ...result } };
    },
  );

  server.registerTool(
    'admin_stats',
    {
      title: 'Admin statistics',
      description: 'Process statistics of this server. Requires the mcp:admin scope.',
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () => {
      toolCalls += 1;
      const stats = {
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        toolCalls,
        rssBytes: process.memoryUsage().rss,
        node: process.version,
      };
      return { ...text(JSON.stringify(stats)), structuredContent: stats };
    },
  );
  return server;
}

/**
 * A fresh MCP server with the example tools. The handler builds one per request, so
 * per-request state (the caller's `authInfo`) never leaks between callers.
 *
 * @example
 * ```ts
 * const handler = createMcpHandler(() => createExampleMcpServer());
 * ```
 * @see MCP basic/transports (Streamable HTTP)
 */
export function createExampleMcpServer(): McpServer {
  return registerExampleTools(new McpServer(EXAMPLE_SERVER_INFO, { capabilities: { tools: {} } }));
}
