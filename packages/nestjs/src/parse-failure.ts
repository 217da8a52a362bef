import { Readable } from 'node:stream';
import type { ResourceServer } from '@prmkit/core';
import type { HttpAdapterLike } from './metadata-routes.js';
import { isJsonPost } from './read-json-body.js';
import { headersOf, pathOf, type NestHttpRequest } from './request-auth.js';
import { writeVerbatim } from './write-response.js';

type Next = (error?: unknown) => void;

interface ExpressAppLike {
  use(handler: (error: unknown, req: NestHttpRequest, res: unknown, next: Next) => void): unknown;
}

interface FastifyHookApp {
  addHook(
    name: 'preParsing',
    hook: (
      request: NestHttpRequest,
      reply: { sent: boolean },
      payload: Readable,
    ) => Promise<Readable | unknown>,
  ): unknown;
}

/** body-parser's (and Express's) marks of an unparseable body. */
function isBodyParseError(error: unknown): boolean {
  const e = error as { type?: unknown; status?: unknown } | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    (e.type === 'entity.parse.failed' || (e instanceof SyntaxError && e.status === 400))
  );
}

/**
 * The platforms parse JSON before any Nest guard runs, so a malformed body on the
 * protected endpoint would be answered 400 before authentication. On the resource's own
 * path (the MCP endpoint) these hooks ask the core first, with no body, which requires
 * every tool scope (fail closed): a client without them gets the 401/403 challenge it can
 * act on; one with them still gets the platform's 400. Other paths are left alone.
 */
export function mountParseFailureHandlers(adapter: HttpAdapterLike, rs: ResourceServer): void {
  const endpoint = new URL(rs.resource).pathname;
  const refuse = async (
    request: NestHttpRequest,
  ): Promise<
    Extract<Awaited<ReturnType<ResourceServer['authorize']>>, { ok: false }> | undefined
  > => {
    const result = await rs.authorize({
      method: request.method ?? 'POST',
      url: request.originalUrl ?? request.url ?? '/',
      headers: headersOf(request),
    });
    return result.ok ? undefined : result;
  };

  if (adapter.getType() === 'express') {
    adapter.getInstance<ExpressAppLike>().use((error, req, res, next) => {
      if (!isBodyParseError(error) || pathOf(req.originalUrl ?? req.url ?? '') !== endpoint) {
        next(error);
        return;
      }
      refuse(req).then((failure) => {
        if (failure) writeVerbatim(res, failure);
        else next(error);
      }, next);
    });
    return;
  }
  if (adapter.getType() === 'fastify') {
    adapter.getInstance<FastifyHookApp>().addHook('preParsing', async (request, reply, payload) => {
      if (!isJsonPost(request) || pathOf(request.url ?? '') !== endpoint) return payload;
      const chunks: Buffer[] = [];
      let size = 0;
      // Bounded: past 1 MiB stop looking and let Fastify's own bodyLimit decide. A manual
      // iterator, because leaving a `for await` would destroy the payload mid-body.
      const chunksOf = payload[Symbol.asyncIterator]() as AsyncIterator<unknown>;
      for (;;) {
        const next = await chunksOf.next();
        if (next.done === true) break;
        const buffer = toBuffer(next.value);
        chunks.push(buffer);
        size += buffer.length;
        if (size > 1_048_576) return Readable.from(rest(chunks, chunksOf));
      }
      const body = Buffer.concat(chunks);
      if (!isJson(body)) {
        const failure = await refuse(request);
        if (failure) {
          writeVerbatim(reply, failure);
          return reply;
        }
      }
      return Readable.from([body]);
    });
  }
}

function isJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function toBuffer(chunk: unknown): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
}

/** The chunks read so far, then the rest of the same (still open) payload. */
async function* rest(head: Buffer[], tail: AsyncIterator<unknown>): AsyncGenerator<Buffer> {
  yield* head;
  for (;;) {
    const next = await tail.next();
    if (next.done === true) return;
    yield toBuffer(next.value);
  }
}
