import { sameUrl } from '@prmkit/core/http';
import { readBodyCapped } from '@prmkit/core/adapter';
import type { FetchLike } from '@prmkit/client';
import type { RequestRecord } from './types.js';

/** Bodies kept for inspection; larger ones are recorded as too large. */
export const MAX_RECORDED_BODY = 256 * 1024;

/** A request and its response as seen on the wire, kept for the checks. */
export interface Exchange extends Omit<RequestRecord, 'status'> {
  /** `undefined` when no response arrived. */
  readonly status: number | undefined;
  /** Response headers; `undefined` when no response arrived. */
  readonly headers: Headers | undefined;
  /** Response body text for JSON responses (capped), else `undefined`. */
  readonly body: string | undefined;
}

/**
 * Wraps fetch so that every request discovery makes is recorded with its raw response
 * (headers, and the body of JSON responses), without changing what discovery sees:
 * the checks need facts `discover()` does not return (Cache-Control, CORS, content type,
 * the document it rejected).
 */
export class Recorder {
  readonly exchanges: Exchange[] = [];
  readonly fetch: FetchLike;

  constructor(base: FetchLike, onRecord?: (exchange: Exchange) => void) {
    this.fetch = async (input, init) => {
      const method = (
        init?.method ?? (input instanceof Request ? input.method : 'GET')
      ).toUpperCase();
      const url = input instanceof Request ? input.url : String(input);
      const start = Date.now();
      let res: Response;
      try {
        res = await base(input, init);
      } catch (error) {
        this.add(
          {
            method,
            url,
            status: undefined,
            ms: Date.now() - start,
            error: describeError(error),
            headers: undefined,
            body: undefined,
          },
          onRecord,
        );
        throw error;
      }
      let body: string | undefined;
      if (isJsonish(res.headers.get('content-type'))) {
        // Read a copy; the original goes to discovery untouched.
        body = await readCapped(res.clone(), MAX_RECORDED_BODY).catch(() => undefined);
      }
      this.add(
        { method, url, status: res.status, ms: Date.now() - start, headers: res.headers, body },
        onRecord,
      );
      return res;
    };
  }

  /** The last exchange for `url` (compared as parsed URLs) with `method`. */
  find(url: string, method = 'GET'): Exchange | undefined {
    for (let i = this.exchanges.length - 1; i >= 0; i -= 1) {
      const e = this.exchanges[i];
      if (e && e.method === method && sameUrl(e.url, url)) return e;
    }
    return undefined;
  }

  private add(exchange: Exchange, onRecord?: (exchange: Exchange) => void): void {
    this.exchanges.push(exchange);
    onRecord?.(exchange);
  }
}

function isJsonish(contentType: string | null): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json') || type === 'text/json';
}

/** Text of a response body, or `undefined` when it exceeds `max` bytes. */
export async function readCapped(res: Response, max: number): Promise<string | undefined> {
  const bytes = await readBodyCapped(res.body, max);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

/** A short description of a fetch failure (the cause code when undici gives one). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error.message;
}

/** Parses a recorded JSON body into an object, or `undefined`. */
export function jsonObject(exchange: Exchange | undefined): Record<string, unknown> | undefined {
  if (exchange?.body === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(exchange.body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
