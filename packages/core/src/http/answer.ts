/** What the core hands an adapter to write as-is: a refusal or a metadata response. */
export interface HttpAnswer {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body text; empty for HEAD, 204, 304, 405. */
  readonly body: string;
}

/** The part of Node's `ServerResponse` (and Express's `Response`) the writer uses. */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/** The part of a Fastify-style reply the writer uses. */
export interface ReplyLike {
  readonly sent: boolean;
  code(status: number): unknown;
  header(name: string, value: string): unknown;
  send(payload?: Uint8Array): unknown;
}

/** Statuses that never carry content (RFC 9110 §15.3.5, §15.4.5). */
const NO_CONTENT = new Set([204, 304]);

const encoder = new TextEncoder();

/**
 * A Web `Response` for fetch hosts (Hono, Workers, Deno, Bun), byte for byte. The headers
 * are copied: some servers mutate the object they are given.
 *
 * @example
 * ```ts
 * const refusal = result.ok ? undefined : toResponse(result);
 * ```
 * @see RFC 6750 §3 (the challenge), RFC 9728 §3.2 (the metadata response)
 */
export function toResponse(answer: HttpAnswer): Response {
  const empty = answer.body === '' || NO_CONTENT.has(answer.status);
  return new Response(empty ? null : answer.body, {
    status: answer.status,
    headers: { ...answer.headers },
  });
}

/**
 * Writes an answer on Node's `ServerResponse` (or anything shaped like it: Express's
 * `res`, Fastify's `reply.raw`) byte for byte, keeping headers the app already set.
 * Returns false, writing nothing, when the response was already sent.
 *
 * @example
 * ```ts
 * if (!result.ok) writeNodeResponse(res, result);
 * ```
 * @see RFC 6750 §3, RFC 9728 §3.2
 */
export function writeNodeResponse(res: NodeResponseLike, answer: HttpAnswer): boolean {
  if (res.headersSent) return false;
  res.statusCode = answer.status;
  for (const name in answer.headers) res.setHeader(name, answer.headers[name]!);
  res.end(answer.body);
  return true;
}

/**
 * Writes an answer through a Fastify-style reply (its hooks still run). The body goes out
 * as bytes, so the framework adds no `charset` to the content type. Returns false when the
 * reply was already sent.
 *
 * @example
 * ```ts
 * if (!result.ok) sendReply(reply, result);
 * ```
 * @see RFC 6750 §3, RFC 9728 §3.2
 */
export function sendReply(reply: ReplyLike, answer: HttpAnswer): boolean {
  if (reply.sent) return false;
  reply.code(answer.status);
  for (const name in answer.headers) reply.header(name, answer.headers[name]!);
  reply.send(answer.body === '' ? undefined : encoder.encode(answer.body));
  return true;
}
