import { sendReply, writeNodeResponse } from '@prmkit/core/adapter';
import type { HttpAnswer, NodeResponseLike, ReplyLike } from '@prmkit/core/adapter';

/** A Fastify reply: it has `hijack` and the Node response underneath as `raw`. */
type FastifyReplyLike = ReplyLike & { raw: NodeResponseLike; hijack(): unknown };

function isFastifyReply(response: unknown): response is FastifyReplyLike {
  const r = response as Partial<FastifyReplyLike> | null;
  return typeof r?.hijack === 'function' && typeof r.send === 'function';
}

function isNodeResponse(response: unknown): response is NodeResponseLike {
  const r = response as Partial<NodeResponseLike> | null;
  return typeof r?.setHeader === 'function' && typeof r.end === 'function';
}

function unsupported(): never {
  throw new TypeError(
    '@prmkit/nestjs: unsupported HTTP response object (use platform-express or platform-fastify)',
  );
}

/**
 * Sets headers on a response that is not written yet, leaving status and body to whoever
 * writes it. Used before throwing, so even a foreign exception filter sends the challenge.
 */
export function presetHeaders(response: unknown, headers: Readonly<Record<string, string>>): void {
  if (isFastifyReply(response)) {
    if (!response.sent) for (const name in headers) response.header(name, headers[name]!);
  } else if (isNodeResponse(response) && !response.headersSent) {
    for (const name in headers) response.setHeader(name, headers[name]!);
  }
}

/**
 * Writes the core's answer through the platform: the Fastify reply (its hooks run, no
 * charset added) or Node's response. Returns false when it had already been sent.
 */
export function writeAnswer(response: unknown, answer: HttpAnswer): boolean {
  if (isFastifyReply(response)) return sendReply(response, answer);
  return isNodeResponse(response) ? writeNodeResponse(response, answer) : unsupported();
}

/** Writes on the Node response itself, outside Fastify's send pipeline (`hijack`). */
export function writeRaw(response: unknown, answer: HttpAnswer): void {
  if (!isFastifyReply(response)) return void writeAnswer(response, answer);
  response.hijack();
  writeNodeResponse(response.raw, answer);
}
