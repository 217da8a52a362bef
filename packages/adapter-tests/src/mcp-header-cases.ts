import type { SuiteFixture } from './fixture.js';
import type { SuiteRequest } from './http.js';

/** What the suite expects for one MCP-header request. */
export type McpHeaderExpectation =
  | { readonly status: 200 }
  | { readonly status: 400; readonly jsonRpcCode: -32020; readonly id: number | null }
  | { readonly status: 401 | 403; readonly scope: readonly string[] };

/** One row: a request carrying SEP-2243 headers and the answer every adapter must give. */
export interface McpHeaderCase {
  readonly name: string;
  request(fx: SuiteFixture): Promise<SuiteRequest>;
  readonly expect: McpHeaderExpectation;
}

const TOOLS = 'mcp:tools';
const ADMIN = 'mcp:admin';
/** The 2026-07-28 request shape: no `initialize`, the client's facts in each request's `_meta`. */
const meta = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'adapter-suite', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const call = (name: string, id = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {}, _meta: meta },
});
const b64 = (s: string): string => `=?base64?${Buffer.from(s, 'utf8').toString('base64')}?=`;

function post(body: unknown, mcp: { method: string; name?: string }, token?: string): SuiteRequest {
  return {
    method: 'POST',
    path: '/mcp',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': mcp.method,
      ...(mcp.name === undefined ? {} : { 'mcp-name': mcp.name }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  };
}

/**
 * SEP-2243 (`Mcp-Method` / `Mcp-Name`, MCP 2026-07-28) through every adapter: a header
 * naming a harmless tool over a body calling the admin tool never reaches the handler,
 * whatever the adapter reads when, and whatever scopes the token holds.
 *
 * @example
 * ```ts
 * for (const row of MCP_HEADER_CASES) it(row.name, async () => check(await send(fx.origin, await row.request(fx)), row.expect));
 * ```
 * @see MCP 2026-07-28 Streamable HTTP §Standard Request Headers, §Server Validation
 */
export const MCP_HEADER_CASES: readonly McpHeaderCase[] = [
  {
    name: 'Mcp-Name echo over a body calling admin_stats: 400 -32020, the handler never runs',
    request: async (fx) =>
      post(call('admin_stats', 41), { method: 'tools/call', name: 'echo' }, await fx.mint()),
    expect: { status: 400, jsonRpcCode: -32020, id: 41 },
  },
  {
    name: 'the same with a token that could call admin_stats: still 400 (the headers lie)',
    request: async (fx) =>
      post(
        call('admin_stats', 42),
        { method: 'tools/call', name: 'echo' },
        await fx.mint({ scope: `${TOOLS} ${ADMIN}` }),
      ),
    expect: { status: 400, jsonRpcCode: -32020, id: 42 },
  },
  {
    name: 'Mcp-Method tools/list over a tools/call body: 400 -32020',
    request: async (fx) => post(call('admin_stats', 43), { method: 'tools/list' }, await fx.mint()),
    expect: { status: 400, jsonRpcCode: -32020, id: 43 },
  },
  {
    name: 'an invalid Base64 sentinel in Mcp-Name: 400 -32020',
    request: async (fx) =>
      post(call('echo', 44), { method: 'tools/call', name: '=?base64?%%?=' }, await fx.mint()),
    expect: { status: 400, jsonRpcCode: -32020, id: null },
  },
  {
    name: 'Mcp-Name admin_stats (Base64-encoded) without mcp:admin: 403 naming it',
    request: async (fx) =>
      post(
        call('admin_stats'),
        { method: 'tools/call', name: b64('admin_stats') },
        await fx.mint(),
      ),
    expect: { status: 403, scope: [TOOLS, ADMIN] },
  },
  {
    name: 'Mcp-Name admin_stats without a token: 401 naming mcp:admin',
    request: async () => post(call('admin_stats'), { method: 'tools/call', name: 'admin_stats' }),
    expect: { status: 401, scope: [TOOLS, ADMIN] },
  },
  {
    name: 'a 2026-07-28 tools/call whose headers agree: 200',
    request: async (fx) =>
      post(call('echo'), { method: 'tools/call', name: 'echo' }, await fx.mint()),
    expect: { status: 200 },
  },
  {
    name: 'a 2026-07-28 tools/call of admin_stats with mcp:admin and agreeing headers: 200',
    request: async (fx) =>
      post(
        call('admin_stats'),
        { method: 'tools/call', name: 'admin_stats' },
        await fx.mint({ scope: `${TOOLS} ${ADMIN}` }),
      ),
    expect: { status: 200 },
  },
];
