import type { IncomingMessage } from 'node:http';
import { carriesJsonRpcBody } from '@prmkit/core';

/** Result of reading a JSON request body for the core: the value, or why there is none. */
export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: 'malformed' | 'too_large' };

/** True for a POST whose content type is JSON (`application/json`, `application/*+json`). */
export function isJsonPost(req: IncomingMessage): boolean {
  return carriesJsonRpcBody(req.method ?? '', req.headers['content-type']);
}

/**
 * True when no body parser has read the body: `req.body` is unset, or is the empty object
 * body-parser 1.x (Express 4) assigns before it skips a request (no body, another content
 * type). Only a real parse sets `req._body`, so that placeholder says nothing about the
 * request and must not pass for an empty JSON-RPC message (which would need no tool scope).
 */
export function bodyUnparsed(req: IncomingMessage & { body?: unknown; _body?: unknown }): boolean {
  const body = req.body;
  if (body === undefined) return true;
  if (req._body === true || typeof body !== 'object' || body === null) return false;
  return Object.getPrototypeOf(body) === Object.prototype && Object.keys(body).length === 0;
}

/**
 * Reads and parses the body, at most `limit` bytes. The stream is consumed, so the caller
 * keeps the value on `req.body` for later handlers (the MCP SDK takes it as `parsedBody`).
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer | string): void => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > limit) {
        // Refuse without buffering more; the rest is read and dropped so the answer can be written.
        req.off('data', onData).off('end', onEnd).off('error', onError);
        req.resume();
        resolve({ ok: false, reason: 'too_large' });
        return;
      }
      chunks.push(buf);
    };
    const onEnd = (): void => {
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        resolve({ ok: false, reason: 'malformed' });
      }
    };
    const onError = (): void => resolve({ ok: false, reason: 'malformed' });
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
