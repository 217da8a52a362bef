import { sendReply, writeNodeResponse } from '@prmkit/core/adapter';
import type { HttpAnswer, NodeResponseLike, ReplyLike } from '@prmkit/core/adapter';

type PlatformResponse = Partial<ReplyLike & NodeResponseLike>;

/** A Fastify reply (Nest's other platform hands filters Node's response, Express's `res`). */
const isReply = (response: unknown): response is ReplyLike =>
  typeof (response as PlatformResponse | null)?.code === 'function';

/**
 * Writes the core's answer through the platform: the Fastify reply (its hooks run, no
 * charset added) or Node's response. Returns false when it had already been sent.
 */
export function writeAnswer(response: unknown, answer: HttpAnswer): boolean {
  if (isReply(response)) return sendReply(response, answer);
  return writeNodeResponse(response as NodeResponseLike, answer);
}

/** Sets headers before a throw, so even a foreign exception filter sends the challenge. */
export function presetHeaders(response: unknown, headers: Readonly<Record<string, string>>): void {
  const r = response as PlatformResponse;
  if (r.sent === true || r.headersSent === true) return;
  for (const name in headers) {
    if (isReply(response)) response.header(name, headers[name]!);
    else r.setHeader?.(name, headers[name]!);
  }
}
