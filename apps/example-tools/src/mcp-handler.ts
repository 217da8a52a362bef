import { createMcpHandler } from '@modelcontextprotocol/server';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { createExampleMcpServer } from './tools.js';

/**
 * The Streamable HTTP handler of the example tools (official MCP SDK): a fresh server
 * per request, stateless, serving both the 2026-07-28 revision and 2025-era clients.
 * Web-standard `fetch(request, { authInfo, parsedBody })`; the `authInfo` comes from
 * the prmkit adapter (see `toSdkAuthInfo`), never from the SDK's own bearer middleware.
 *
 * @example
 * ```ts
 * const mcp = createExampleMcpHandler();
 * app.all('/mcp', prm.requireAuth(), (c) => mcp.fetch(c.req.raw, { authInfo: toSdkAuthInfo(c.get('auth')) }));
 * ```
 * @see MCP basic/transports (Streamable HTTP)
 */
export function createExampleMcpHandler(onerror?: (error: Error) => void): McpHttpHandler {
  return createMcpHandler(() => createExampleMcpServer(), {
    legacy: 'stateless',
    ...(onerror ? { onerror } : {}),
  });
}
