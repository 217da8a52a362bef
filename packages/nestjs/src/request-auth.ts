import type { AuthInfo } from '@prmkit/core';

/** A framework request (Express `Request` or Fastify `FastifyRequest`) as the guard sees it. */
export interface NestHttpRequest {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** Fastify: the Node request underneath. */
  raw?: object;
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
