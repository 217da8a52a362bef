import type { Readable } from 'node:stream';
import { carriesJsonRpcBody } from '@prmkit/core';
import type { NestHttpRequest } from './request-auth.js';

/** Largest JSON body the guard reads itself (when the platform's parser is off). */
export const GUARD_BODY_LIMIT = 1_048_576;

/** A POST with a JSON content type. */
export function isJsonPost(request: NestHttpRequest): boolean {
  const type = request.headers?.['content-type'];
  return carriesJsonRpcBody(request.method ?? '', typeof type === 'string' ? type : undefined);
}

type Stream = Readable & NestHttpRequest & { _body?: boolean };

/** The request is a Node stream nobody has read yet (Express with `bodyParser: false`). */
export function hasUnreadBody(request: NestHttpRequest): request is Stream {
  const r = request as Partial<Stream>;
  return (
    typeof r.on === 'function' &&
    r.readable === true &&
    r.readableEnded !== true &&
    r._body !== true
  );
}

/** Outcome of reading a JSON body: the value, or why there is none. */
export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: 'malformed' | 'too_large' };

/**
 * Reads and parses a JSON body of at most `limit` bytes. The stream is consumed, so the
 * caller keeps the value on `request.body` and marks it read (`_body`, body-parser's flag).
 */
export function readJsonBody(request: Stream, limit = GUARD_BODY_LIMIT): Promise<JsonBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: JsonBody): void => {
      request.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > limit) {
        // Drain the rest unbuffered, so the refusal can still be written.
        request.resume();
        done({ ok: false, reason: 'too_large' });
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = (): void => {
      const text = Buffer.concat(chunks).toString('utf8');
      // No body at all is not a malformed one: leave it to the core (fail closed).
      if (text === '') {
        done({ ok: true, value: undefined });
        return;
      }
      try {
        done({ ok: true, value: JSON.parse(text) as unknown });
      } catch {
        done({ ok: false, reason: 'malformed' });
      }
    };
    const onError = (): void => done({ ok: false, reason: 'malformed' });
    request.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
