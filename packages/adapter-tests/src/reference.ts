import { carriesJsonRpcBody } from '@prmkit/core/adapter';
import type { AuthorizeResult, RequestLike, ResourceServer, ResourceServerSet } from '@prmkit/core';
import type { SuiteRequest } from './http.js';

/**
 * The request as the core sees it when an adapter hands it over correctly: every header
 * line kept (repeated ones as arrays), the JSON body of a POST parsed, nothing else.
 *
 * @example
 * ```ts
 * const expected = await rs.authorize(toRequestLike(req), { scopes: [] });
 * ```
 * @see RFC 6750 §2.1
 */
export function toRequestLike(req: SuiteRequest): RequestLike {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers ?? {}))
    headers[name.toLowerCase()] = typeof value === 'string' ? [value] : [...value];
  const method = req.method ?? 'GET';
  let body: unknown;
  if (req.body !== undefined && carriesJsonRpcBody(method, headers['content-type']?.[0])) {
    try {
      body = JSON.parse(req.body) as unknown;
    } catch {
      body = undefined;
    }
  }
  return { method, url: req.path, headers, body };
}

/** Scopes the suite's routes add (`requireAuth({ scopes })`), by path. */
const ROUTE_SCOPES: Readonly<Record<string, readonly string[]>> = {
  '/mcp/admin': ['mcp:admin'],
  '/gw/github': ['mcp:github:read'],
  '/gw/jira': ['mcp:jira:write'],
};

/**
 * The core's own answer to a suite request on the suite's routes (`/mcp/admin` adds
 * `mcp:admin`; the gateway routes their backend's scope).
 *
 * @example
 * ```ts
 * expectVerbatim(res, await referenceAnswer(createResourceServer(fx.config), req));
 * ```
 * @see RFC 6750 §3
 */
export function referenceAnswer(
  rs: ResourceServer | ResourceServerSet,
  req: SuiteRequest,
): Promise<AuthorizeResult> {
  const path = req.path.split('?', 1)[0] ?? '';
  return rs.authorize(toRequestLike(req), { scopes: ROUTE_SCOPES[path] ?? [] });
}
