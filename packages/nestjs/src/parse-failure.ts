import { Readable } from 'node:stream';
import type { AuthorizeFailure, ResourceServer } from '@prmkit/core';
import { carriesJsonRpcBody, decodeJsonBody, readBounded, replayBody } from '@prmkit/core/adapter';
import { requestPath, sendReply, writeNodeResponse } from '@prmkit/core/adapter';
import type { NodeResponseLike, ReplyLike } from '@prmkit/core/adapter';
import type { HttpAdapterLike } from './metadata-routes.js';
import { headersOf, type NestHttpRequest } from './request-auth.js';

type Next = (error?: unknown) => void;
type ErrorMiddleware = (
  error: unknown,
  req: NestHttpRequest,
  res: NodeResponseLike,
  next: Next,
) => void;
type PreParsing = (req: NestHttpRequest, reply: ReplyLike, payload: Readable) => Promise<unknown>;

/** body-parser's (and Express's) marks of an unparseable body. */
function isBodyParseError(error: unknown): boolean {
  const e = error as { type?: unknown; status?: unknown } | null;
  return e?.type === 'entity.parse.failed' || (e instanceof SyntaxError && e.status === 400);
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
  const onEndpoint = (url = '') => requestPath(url)?.path === endpoint;
  const refuse = async (req: NestHttpRequest): Promise<AuthorizeFailure | undefined> => {
    const url = req.originalUrl ?? req.url ?? '/';
    const result = await rs.authorize({
      method: req.method ?? 'POST',
      url,
      headers: headersOf(req),
    });
    return result.ok ? undefined : result;
  };

  if (adapter.getType() === 'express') {
    adapter
      .getInstance<{ use(handler: ErrorMiddleware): unknown }>()
      .use((error, req, res, next) => {
        if (!isBodyParseError(error) || !onEndpoint(req.originalUrl ?? req.url)) return next(error);
        refuse(req).then(
          (failure) => (failure ? writeNodeResponse(res, failure) : next(error)),
          next,
        );
      });
  } else if (adapter.getType() === 'fastify') {
    const fastify = adapter.getInstance<{
      addHook(name: 'preParsing', hook: PreParsing): unknown;
    }>();
    fastify.addHook('preParsing', async (req, reply, payload) => {
      const type = req.headers?.['content-type'];
      const json = carriesJsonRpcBody(req.method ?? '', typeof type === 'string' ? type : '');
      if (!json || !onEndpoint(req.url)) return payload;
      // Bounded: past 1 MiB stop looking and let Fastify's own bodyLimit decide.
      const read = await readBounded(payload, 1_048_576);
      // Fastify's parser refuses an empty JSON body too (FST_ERR_CTP_EMPTY_JSON_BODY).
      if (read.complete && (read.bytes.byteLength === 0 || !decodeJsonBody(read.bytes).ok)) {
        const failure = await refuse(req);
        if (failure) {
          sendReply(reply, failure);
          return reply;
        }
      }
      return Readable.from(replayBody(read));
    });
  }
}
