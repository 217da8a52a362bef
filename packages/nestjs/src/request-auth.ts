import { nodeRequestHeaders } from '@prmkit/core/adapter';
import type { AuthInfo, HeadersLike } from '@prmkit/core';

type NodeHeaders = Record<string, string | string[] | undefined>;

/** A framework request (Express `Request` or Fastify `FastifyRequest`) as the guard sees it. */
export interface NestHttpRequest {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: NodeHeaders;
  /** Node's `[name, value, ...]` list, every line as received. */
  rawHeaders?: string[];
  body?: unknown;
  /** Fastify: the Node request underneath. */
  raw?: { headers?: NodeHeaders; rawHeaders?: string[]; auth?: AuthInfo };
  auth?: AuthInfo;
}

/**
 * Stores the verified auth as `request.auth` (what the MCP SDK's transports read) and, on
 * Fastify, on the Node request too (`request.raw.auth`): MCP transports get `request.raw`.
 */
export function attachAuth(request: NestHttpRequest, auth: AuthInfo): void {
  request.auth = auth;
  if (typeof request.raw === 'object' && request.raw !== null) request.raw.auth = auth;
}

/** Headers for the core, every repeated `Authorization` line kept (RFC 6750 §2: refuse two). */
export function headersOf(request: NestHttpRequest): HeadersLike {
  const node = request.raw ?? request;
  return nodeRequestHeaders(node.headers ?? {}, node.rawHeaders ?? []);
}
