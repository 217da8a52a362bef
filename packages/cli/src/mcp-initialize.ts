/** The MCP protocol revision the inspector speaks. */
export const PROTOCOL_VERSION = '2025-11-25';

/** An MCP client's first request: the `initialize` JSON-RPC call. */
export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'prmkit-inspect', version: '1' },
  },
});

/**
 * The headers of an MCP Streamable HTTP POST (plus `authorization` when a token is sent).
 *
 * @see MCP 2025-11-25 basic/transports (sending messages to the server)
 */
export function mcpPostHeaders(token?: string): Record<string, string> {
  return {
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    'mcp-protocol-version': PROTOCOL_VERSION,
  };
}
