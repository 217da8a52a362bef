import { Readable } from 'node:stream';
import type { ResourceServer } from '@prmkit/core';
import { carriesJsonRpcBody, decodeJsonBody, readBounded, replayBody } from '@prmkit/core/adapter';
import type { HttpAdapterLike } from './metadata-routes.js';
import { headersOf, pathOf, type NestHttpRequest } from './request-auth.js';
import { writeAnswer } from './write-response.js';

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
        if (failure) writeAnswer(res, failure);
        else next(error);
      }, next);
    });
    return;
  }
  if (adapter.getType() === 'fastify') {
    adapter.getInstance<FastifyHookApp>().addHook('preParsing', async (request, reply, payload) => {
      const type = request.headers?.['content-type'];
      const json = carriesJsonRpcBody(request.method ?? '', typeof type === 'string' ? type : '');
      if (!json || pathOf(request.url ?? '') !== endpoint) return payload;
      // Bounded: past 1 MiB stop looking and let Fastify's own bodyLimit decide.
      const read = await readBounded(payload, 1_048_576);
      // Fastify's parser refuses an empty JSON body too (FST_ERR_CTP_EMPTY_JSON_BODY).
      if (read.complete && (read.bytes.byteLength === 0 || !decodeJsonBody(read.bytes).ok)) {
        const failure = await refuse(request);
        if (failure) {
          writeAnswer(reply, failure);
          return reply;
        }
      }
      return Readable.from(replayBody(read));
    });
  }
}
