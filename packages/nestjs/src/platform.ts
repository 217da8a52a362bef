import { Readable } from 'node:stream';
import type { AuthInfo, RequestLike, ResourceServer, ResourceServerSet } from '@prmkit/core';
import { isResourceServerSet } from '@prmkit/core/adapter';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { carriesJsonRpcBody, decodeJsonBody, nodeMessageHeaders } from '@prmkit/core/adapter';
import { nodePeerCertificate } from '@prmkit/core/adapter';
import { readBounded, replayBody, requestPath, sendReply } from '@prmkit/core/adapter';
import { writeNodeResponse, type HttpAnswer } from '@prmkit/core/adapter';
import type { NodeResponseLike, ReplyLike } from '@prmkit/core/adapter';

// The HTTP platform under Nest (Express or Fastify): its requests and responses, and what
// PrmkitModule mounts on it directly, outside Nest's router, guards and global prefix.

type NodeHeaders = Record<string, string | string[] | undefined>;

/** A framework request (Express `Request` or Fastify `FastifyRequest`) as the guard sees it. */
export interface NestHttpRequest {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: NodeHeaders;
  rawHeaders?: string[];
  body?: unknown;
  /** The client's address (both platforms set it): failure rate limiting. */
  ip?: string;
  /** Express: the connection (Fastify: `raw.socket`). */
  socket?: { remoteAddress?: string };
  /** Fastify: the Node request underneath (MCP transports are handed this one). */
  raw?: {
    headers?: NodeHeaders;
    rawHeaders?: string[];
    auth?: AuthInfo;
    socket?: { remoteAddress?: string };
  };
  auth?: AuthInfo;
}

/** Method, URL as sent (Express rewrites `url` under routers) and every header line. */
export function coreRequest(req: NestHttpRequest): RequestLike {
  const headers = nodeMessageHeaders(req.raw ?? req) ?? {}; // every Authorization line kept
  const url = req.originalUrl ?? req.url ?? '/';
  // The socket itself (never X-Forwarded-For): mTLS trusted proxies, the TLS certificate.
  const socket = req.raw?.socket ?? req.socket;
  return {
    method: req.method ?? 'GET',
    url,
    headers,
    clientAddress: req.ip,
    peerAddress: socket?.remoteAddress,
    peerCertificate: nodePeerCertificate(socket),
  };
}

const isReply = (response: unknown): response is ReplyLike =>
  typeof (response as Partial<ReplyLike> | null)?.code === 'function';

/** Writes the core's answer on a Fastify reply (its hooks run) or Node's response. */
export function writeAnswer(response: unknown, answer: HttpAnswer): boolean {
  if (isReply(response)) return sendReply(response, answer);
  return writeNodeResponse(response as NodeResponseLike, answer);
}

/** Sets headers before a throw, so even a foreign exception filter sends the challenge. */
export function presetHeaders(response: unknown, headers: Readonly<Record<string, string>>): void {
  const r = response as Partial<ReplyLike & NodeResponseLike>;
  if (r.sent === true || r.headersSent === true) return;
  for (const name in headers) {
    if (isReply(response)) response.header(name, headers[name]!);
    else r.setHeader?.(name, headers[name]!);
  }
}

type Next = (error?: unknown) => void;
type Res = NodeResponseLike;
interface ExpressApp {
  use(handler: (...args: never[]) => void): unknown; // a middleware or an error middleware
}
interface FastifyApp {
  all(path: string, handler: (req: NestHttpRequest, reply: ReplyLike) => Promise<void>): unknown;
  addHook(
    name: 'preParsing',
    hook: (req: NestHttpRequest, reply: ReplyLike, payload: Readable) => Promise<unknown>,
  ): unknown;
}

/** body-parser's (and Express's) marks of an unparseable body. */
function isBodyParseError(error: unknown): boolean {
  const e = error as { type?: unknown; status?: unknown } | null;
  return e?.type === 'entity.parse.failed' || (e instanceof SyntaxError && e.status === 400);
}

/**
 * Mounts on the platform: the RFC 9728 metadata at `rs.metadataPaths` (every method reaches
 * the core: GET, HEAD, OPTIONS, 405 + Allow), and the parse-failure hooks. The platforms
 * parse JSON before any Nest guard runs, so a malformed body on the MCP endpoint would be
 * answered 400 before authentication; these hooks ask the core first, with no body (every
 * tool scope required: fail closed), so a client without them gets the challenge it can act
 * on and one with them the platform's 400. Other paths are left alone.
 */
export function mountOnPlatform(
  adapter: AbstractHttpAdapter,
  rs: ResourceServer | ResourceServerSet,
): void {
  const metadata = (req: NestHttpRequest) => rs.handleMetadataRequest(coreRequest(req));
  const members = isResourceServerSet(rs) ? rs.resourceServers : [rs];
  const endpoints = new Set(members.map((member) => new URL(member.resource).pathname));
  const onEndpoint = (url = '') => endpoints.has(requestPath(url)?.path ?? '');
  const refuse = async (req: NestHttpRequest) => {
    const result = await rs.authorize(coreRequest(req));
    return result.ok ? undefined : result;
  };
  const type = adapter.getType();
  if (type === 'express') {
    const express = adapter.getInstance<ExpressApp>();
    express.use((req: NestHttpRequest, res: Res, next: Next) => {
      const answer = metadata(req); // 404: not a metadata location (the core decides)
      if (answer.status === 404) next();
      else writeNodeResponse(res, answer);
    });
    express.use((error: unknown, req: NestHttpRequest, res: Res, next: Next) => {
      if (!isBodyParseError(error) || !onEndpoint(req.originalUrl ?? req.url)) return next(error);
      void refuse(req).then((f) => (f ? writeNodeResponse(res, f) : next(error)), next);
    });
  } else if (type === 'fastify') {
    const fastify = adapter.getInstance<FastifyApp>();
    const serve = async (req: NestHttpRequest, reply: ReplyLike) =>
      void sendReply(reply, metadata(req));
    for (const path of rs.metadataPaths) fastify.all(path.replaceAll(':', '::'), serve); // find-my-way
    fastify.addHook('preParsing', async (req, reply, payload) => {
      const type = req.headers?.['content-type'];
      const json = carriesJsonRpcBody(req.method ?? '', typeof type === 'string' ? type : '');
      if (!json || !onEndpoint(req.url)) return payload;
      // Bounded: past 1 MiB stop looking and let Fastify's own bodyLimit decide.
      const read = await readBounded(payload, 1_048_576);
      // Fastify's parser refuses an empty JSON body too (FST_ERR_CTP_EMPTY_JSON_BODY).
      const failure =
        read.complete && (read.bytes.byteLength === 0 || !decodeJsonBody(read.bytes).ok)
          ? await refuse(req)
          : undefined;
      if (!failure) return Readable.from(replayBody(read));
      sendReply(reply, failure);
      return reply;
    });
  } else {
    throw new Error(
      `@prmkit/nestjs: unsupported HTTP platform "${type}" (use platform-express or platform-fastify)`,
    );
  }
}
