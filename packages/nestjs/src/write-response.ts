/** What the core hands an adapter to write: a status, headers and a body, all verbatim. */
export interface RawHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The part of Node's `ServerResponse` (and Express's `Response`) used here. */
interface NodeResponse {
  headersSent: boolean;
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/** The part of Fastify's `FastifyReply` used here. */
interface FastifyReplyLike {
  sent: boolean;
  raw: NodeResponse;
  code(status: number): unknown;
  header(name: string, value: string): unknown;
  send(payload: Uint8Array): unknown;
  hijack(): unknown;
}

function isFastifyReply(response: unknown): response is FastifyReplyLike {
  const r = response as Partial<FastifyReplyLike> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.code === 'function' &&
    typeof r.send === 'function' &&
    typeof r.hijack === 'function' &&
    typeof r.raw === 'object'
  );
}

function isNodeResponse(response: unknown): response is NodeResponse {
  const r = response as Partial<NodeResponse> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.setHeader === 'function' &&
    typeof r.end === 'function'
  );
}

/**
 * Sets headers on a response that is not written yet, leaving status and body to whoever
 * writes it. Used before throwing, so even a foreign exception filter sends the challenge.
 */
export function presetHeaders(response: unknown, headers: Readonly<Record<string, string>>): void {
  if (isFastifyReply(response)) {
    if (response.sent) return;
    for (const [name, value] of Object.entries(headers)) response.header(name, value);
  } else if (isNodeResponse(response)) {
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  }
}

/**
 * Writes `status`, every header and `body` exactly as given, keeping headers the app
 * already set (CORS and the like). On Fastify the body goes out as bytes, so Fastify adds
 * no `charset` to the content type; on Express it is written with `end`, so Express adds
 * no ETag or charset. Returns false when the response had already been sent.
 */
export function writeVerbatim(response: unknown, result: RawHttpResponse): boolean {
  if (isFastifyReply(response)) {
    if (response.sent) return false;
    response.code(result.status);
    for (const [name, value] of Object.entries(result.headers)) response.header(name, value);
    response.send(new TextEncoder().encode(result.body));
    return true;
  }
  if (isNodeResponse(response)) {
    if (response.headersSent) return false;
    response.statusCode = result.status;
    for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
    response.end(result.body);
    return true;
  }
  throw new TypeError(
    '@prmkit/nestjs: unsupported HTTP response object (use platform-express or platform-fastify)',
  );
}

/**
 * Writes a response on Fastify by taking the reply over (`hijack`), so nothing in
 * Fastify's send pipeline touches it; on Express the same as `writeVerbatim`.
 */
export function writeRaw(response: unknown, result: RawHttpResponse): void {
  if (isFastifyReply(response)) {
    response.hijack();
    const raw = response.raw;
    raw.statusCode = result.status;
    for (const [name, value] of Object.entries(result.headers)) raw.setHeader(name, value);
    raw.end(result.body);
    return;
  }
  writeVerbatim(response, result);
}
