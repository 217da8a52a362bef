import type { AuthorizeFailure } from '../model/authorize-types.js';
import { CODE_TABLE } from '../model/codes.js';
import { TokenError } from '../model/errors.js';
import type { HeadersLike } from '../model/types.js';
import { headerValues } from '../util/headers.js';
import { jsonRpcRefusal } from './refusal.js';

/**
 * The JSON-RPC error code of a header/body disagreement (`HeaderMismatch`).
 *
 * @example
 * ```ts
 * if (JSON.parse(answer.body).error.code === MCP_HEADER_MISMATCH) retryWithFixedHeaders();
 * ```
 * @see MCP 2026-07-28 Streamable HTTP §Server Validation (SEP-2243)
 */
export const MCP_HEADER_MISMATCH: -32020 = CODE_TABLE.header_mismatch.jsonRpcError;

/** The body member `Mcp-Name` mirrors, per method (MCP 2026-07-28 §Standard Request Headers). */
const NAME_SOURCE: ReadonlyMap<string, 'name' | 'uri'> = new Map([
  ['tools/call', 'name'],
  ['prompts/get', 'name'],
  ['resources/read', 'uri'],
]);

const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';
const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Longest header or body value quoted in a mismatch message. */
const QUOTE_MAX = 64;

/**
 * The SEP-2243 request headers of one request: `Mcp-Method`, `Mcp-Name` (decoded from the
 * Base64 sentinel when encoded) and `MCP-Protocol-Version`. `invalid` says why they cannot
 * be used (a header sent twice, a broken sentinel): such a request is refused with
 * `HeaderMismatch`, whatever its body.
 */
export interface McpHeaders {
  readonly method: string | undefined;
  readonly name: string | undefined;
  readonly protocolVersion: string | undefined;
  readonly invalid: string | undefined;
}

const NO_HEADERS: McpHeaders = Object.freeze({
  method: undefined,
  name: undefined,
  protocolVersion: undefined,
  invalid: undefined,
});

/**
 * Decodes an `Mcp-Name` value: a plain value as-is; `=?base64?…?=` as the UTF-8 text of
 * its canonical Base64 payload. `undefined` for a sentinel whose payload is not canonical
 * Base64 or not UTF-8 (the request must then be refused).
 *
 * @example
 * ```ts
 * decodeMcpHeaderValue('=?base64?SGVsbG8sIOS4lueVjA==?='); // 'Hello, 世界'
 * decodeMcpHeaderValue('get_weather');                  // 'get_weather'
 * decodeMcpHeaderValue('=?base64?not base64?=');        // undefined
 * ```
 * @see MCP 2026-07-28 Streamable HTTP §Value Encoding
 */
export function decodeMcpHeaderValue(value: string): string | undefined {
  if (!value.startsWith(SENTINEL_PREFIX) || !value.endsWith(SENTINEL_SUFFIX)) return value;
  if (value.length < SENTINEL_PREFIX.length + SENTINEL_SUFFIX.length) return value;
  const payload = value.slice(SENTINEL_PREFIX.length, value.length - SENTINEL_SUFFIX.length);
  if (!CANONICAL_BASE64.test(payload)) return undefined;
  try {
    const binary = atob(payload);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return utf8.decode(bytes);
  } catch {
    return undefined; // not UTF-8
  }
}

/** The one value of a header, `null` when absent, `undefined` when sent more than once. */
function single(headers: HeadersLike, name: string): string | null | undefined {
  const values = headerValues(headers, name);
  if (values.length === 0) return null;
  return values.length === 1 ? values[0] : undefined;
}

/**
 * Reads the SEP-2243 headers of a request (names case-insensitive, values case-sensitive).
 *
 * @example
 * ```ts
 * readMcpHeaders({ 'mcp-method': 'tools/call', 'mcp-name': 'echo' }); // { method: 'tools/call', name: 'echo', ... }
 * ```
 * @see MCP 2026-07-28 Streamable HTTP §Request Metadata, §Case Sensitivity
 */
export function readMcpHeaders(headers: HeadersLike): McpHeaders {
  const method = single(headers, 'mcp-method');
  const rawName = single(headers, 'mcp-name');
  const protocolVersion = single(headers, 'mcp-protocol-version');
  if (method === null && rawName === null && protocolVersion === null) return NO_HEADERS;
  let invalid: string | undefined;
  if (method === undefined) invalid = 'the Mcp-Method header is sent more than once';
  else if (rawName === undefined) invalid = 'the Mcp-Name header is sent more than once';
  else if (protocolVersion === undefined)
    invalid = 'the MCP-Protocol-Version header is sent more than once';
  const name = typeof rawName === 'string' ? decodeMcpHeaderValue(rawName) : undefined;
  if (invalid === undefined && typeof rawName === 'string' && name === undefined)
    invalid = 'the Mcp-Name header carries an invalid Base64 sentinel value';
  return {
    method: method ?? undefined,
    name,
    protocolVersion: protocolVersion ?? undefined,
    invalid,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const quote = (value: string): string =>
  JSON.stringify(value.length > QUOTE_MAX ? `${value.slice(0, QUOTE_MAX)}…` : value);

/** Why one message disagrees with the headers, or undefined. */
function messageMismatch(h: McpHeaders, message: Record<string, unknown>): string | undefined {
  const method = message.method;
  // A message without a method (a response) is no request the headers could describe.
  if (typeof method !== 'string') return undefined;
  if (h.method !== undefined && h.method !== method)
    return `Mcp-Method header value ${quote(h.method)} does not match body value ${quote(method)}`;
  const params = message.params;
  const field = NAME_SOURCE.get(method);
  if (h.name !== undefined && field !== undefined) {
    const value = isObject(params) ? params[field] : undefined;
    if (value !== h.name) {
      const body = typeof value === 'string' ? quote(value) : `(no string params.${field})`;
      return `Mcp-Name header value ${quote(h.name)} does not match body value ${body}`;
    }
  }
  if (h.protocolVersion !== undefined && isObject(params) && isObject(params._meta)) {
    const claimed = params._meta[PROTOCOL_VERSION_META];
    if (typeof claimed === 'string' && claimed !== h.protocolVersion)
      return `MCP-Protocol-Version header value ${quote(h.protocolVersion)} does not match body value ${quote(claimed)}`;
  }
  return undefined;
}

/**
 * Why a parsed JSON-RPC body disagrees with its SEP-2243 headers, or `undefined` when it
 * agrees (or there is nothing to compare: no headers, no parsed body). Every request of a
 * batch must agree. `Mcp-Name` is compared after decoding, to `params.name` (`tools/call`,
 * `prompts/get`) or `params.uri` (`resources/read`); a header naming a tool the body does not
 * call by that exact name is a mismatch. Missing headers are not checked here: that is the
 * MCP server's rule for its protocol era, and the decision never needs them.
 *
 * @example
 * ```ts
 * import { mcpHeaderMismatch, readMcpHeaders } from '@prmkit/core/adapter';
 * const headers = { 'mcp-method': 'tools/call', 'mcp-name': 'echo' };
 * const body = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'admin_stats' } };
 * mcpHeaderMismatch(readMcpHeaders(headers), body); // 'Mcp-Name header value "echo" does not match …'
 * ```
 * @see MCP 2026-07-28 Streamable HTTP §Server Validation (SEP-2243)
 */
export function mcpHeaderMismatch(h: McpHeaders, body: unknown): string | undefined {
  if (h.invalid !== undefined) return h.invalid;
  if (h === NO_HEADERS) return undefined;
  if (Array.isArray(body)) {
    for (const message of body) {
      const why = isObject(message) ? messageMismatch(h, message) : undefined;
      if (why !== undefined) return why;
    }
    return undefined;
  }
  return isObject(body) ? messageMismatch(h, body) : undefined;
}

/**
 * The message the headers describe, when they alone fix the scopes a request needs: an
 * `Mcp-Method`, and for `tools/call` an `Mcp-Name` (the tool). Deciding from it reads no
 * body; the body must then still be compared before a handler sees it (`guardRequest` does).
 *
 * @example
 * ```ts
 * headerMessage(readMcpHeaders(headers)); // { jsonrpc: '2.0', method: 'tools/call', params: { name: 'echo' } }
 * ```
 * @see MCP 2026-07-28 Streamable HTTP §Standard Request Headers
 */
export function headerMessage(h: McpHeaders): Record<string, unknown> | undefined {
  if (h.invalid !== undefined || h.method === undefined) return undefined;
  if (h.method !== 'tools/call') return { jsonrpc: '2.0', method: h.method };
  if (h.name === undefined) return undefined;
  return { jsonrpc: '2.0', method: h.method, params: { name: h.name } };
}

/** The JSON-RPC id of a single request, else null. */
function requestId(body: unknown): string | number | null {
  const id = isObject(body) ? body.id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/**
 * The refusal of a request whose SEP-2243 headers disagree with its body (or are
 * malformed): HTTP 400 with a JSON-RPC error response, code `-32020` (`HeaderMismatch`),
 * the request's `id` (or `null`). It is not an OAuth refusal: no `WWW-Authenticate`, since
 * no token would fix it; `error.code` is `header_mismatch`.
 *
 * @example
 * ```ts
 * buildHeaderMismatch({ jsonrpc: '2.0', id: 1 }, 'Mcp-Name header value "echo" does not match body value "admin_stats"').body;
 * // {"jsonrpc":"2.0","id":1,"error":{"code":-32020,"message":"Header mismatch: Mcp-Name header value \"echo\" …"}}
 * ```
 * @see MCP 2026-07-28 Streamable HTTP §Server Validation; JSON-RPC 2.0 §5
 */
export function buildHeaderMismatch(body: unknown, why: string): AuthorizeFailure {
  return jsonRpcRefusal(
    new TokenError('header_mismatch', `Header mismatch: ${why}`),
    requestId(body),
  );
}
