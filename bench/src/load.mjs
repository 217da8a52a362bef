import autocannon from 'autocannon';
import { MCP_REQUEST_HEADERS, MCP_TOOL_CALL } from './apps/common.mjs';

/**
 * The request a case sends: GET, or an MCP `tools/call` POST (~1 KB JSON) with the SEP-2243
 * headers (`mcp-headers`) or without them (`mcp-body`: the guard must read the body).
 * @param {'get' | 'mcp-headers' | 'mcp-body' | undefined} shape
 */
export function requestShape(shape) {
  if (shape === undefined || shape === 'get') return { method: 'GET', headers: {} };
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  return {
    method: 'POST',
    body: MCP_TOOL_CALL,
    headers: shape === 'mcp-headers' ? { ...headers, ...MCP_REQUEST_HEADERS } : headers,
  };
}

/**
 * Runs autocannon against one URL and returns the figures BENCHMARKS.md reports.
 * `nextToken` rotates a pool shared by every connection, so with `rotating` tokens no two
 * requests in a row carry the same token.
 *
 * @param {{ url: string, connections: number, duration: number, token?: string, nextToken?: () => string, overallRate?: number, request?: 'get' | 'mcp-headers' | 'mcp-body' }} o
 */
export async function load(o) {
  const shape = requestShape(o.request);
  const headers = { ...shape.headers, ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) };
  const requests = o.nextToken
    ? [
        {
          setupRequest: (req) => ({
            ...req,
            headers: { ...req.headers, authorization: `Bearer ${o.nextToken()}` },
          }),
        },
      ]
    : undefined;
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.duration,
    headers,
    method: shape.method,
    ...(shape.body === undefined ? {} : { body: shape.body }),
    ...(requests ? { requests } : {}),
    ...(o.overallRate ? { overallRate: o.overallRate } : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
