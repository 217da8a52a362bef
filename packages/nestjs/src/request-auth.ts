import { nodeRequestHeaders } from '@prmkit/core/adapter';
import type { AuthInfo } from '@prmkit/core';

/** A framework request (Express `Request` or Fastify `FastifyRequest`) as the guard sees it. */
export interface NestHttpRequest {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** The client's address (Express and Fastify both set it). */
  ip?: string;
  /** Node's view of repeated headers (kept apart, unlike `headers`). */
  headersDistinct?: Record<string, string[] | undefined>;
  /** Node's `[name, value, ...]` list, every line as received. */
  rawHeaders?: string[];
  /** Fastify: the Node request underneath. */
  raw?: {
    headers?: Record<string, string | string[] | undefined>;
    rawHeaders?: string[];
    headersDistinct?: Record<string, string[] | undefined>;
  };
  auth?: AuthInfo;
}

/**
 * Stores the verified auth on the request as `request.auth` (the property the MCP SDK's
 * transports read) and, on Fastify, on the Node request too (`request.raw.auth`), since
 * MCP transports are handed `request.raw`.
 */
export function attachAuth(request: NestHttpRequest, auth: AuthInfo): void {
  request.auth = auth;
  if (typeof request.raw === 'object' && request.raw !== null && request.raw !== request) {
    (request.raw as { auth?: AuthInfo }).auth = auth;
  }
}

/** The auth `attachAuth` stored, if any. */
export function readAuth(request: unknown): AuthInfo | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  return (request as NestHttpRequest).auth;
}

/**
 * Headers for the core. Node's `headers` keeps only the first of repeated `Authorization`
 * headers; the core's `nodeRequestHeaders` restores them from `rawHeaders` (without
 * `headersDistinct`'s per-access rebuild), so the core can refuse two (RFC 6750 §2).
 */
export function headersOf(
  request: NestHttpRequest,
): Readonly<Record<string, string | readonly string[] | undefined>> {
  const node = request.raw ?? request;
  if (node.headers && node.rawHeaders) return nodeRequestHeaders(node.headers, node.rawHeaders);
  return node.headersDistinct ?? request.headers ?? {};
}

/** The path of a request URL (no query, no fragment), as sent. */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}
