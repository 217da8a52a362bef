/**
 * Outbound HTTP for JWKS, discovery and introspection: one time budget covering the
 * whole exchange (headers and body), a body size cap, no redirects followed.
 */

/** Largest JSON document read from an authorization server. */
export const MAX_DOCUMENT_BYTES = 512 * 1024;

export class HttpFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpFailure';
  }
}

/**
 * Runs `fetch` and reads the whole body as text within `timeout` ms. A timer races the
 * whole exchange too, so a `fetch` that ignores its signal still cannot hang the caller.
 */
export async function fetchText(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  timeout: number,
): Promise<{ status: number; text: string; headers: Headers }> {
  const controller = new AbortController();
  const outer = init.signal;
  if (outer) {
    if (outer.aborted) controller.abort();
    else outer.addEventListener('abort', () => controller.abort(), { once: true });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new HttpFailure(`no complete response from ${url} within ${timeout} ms`));
    }, timeout);
  });
  const exchange = (async () => {
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, redirect: 'manual', signal: controller.signal });
    } catch (cause) {
      throw new HttpFailure(`request to ${url} failed`, { cause });
    }
    const text = await readLimited(response, MAX_DOCUMENT_BYTES);
    return { status: response.status, text, headers: response.headers };
  })();
  try {
    return await Promise.race([exchange, deadline]);
  } finally {
    clearTimeout(timer);
    // The losing side must not surface as an unhandled rejection.
    exchange.catch(() => undefined);
    deadline.catch(() => undefined);
  }
}

/** {@link fetchText}, then JSON; a 200 whose body is not JSON is a failure. */
export async function fetchJson(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  timeout: number,
): Promise<{ status: number; body: unknown }> {
  const { status, text } = await fetchText(fetchImpl, url, init, timeout);
  try {
    return { status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  } catch (cause) {
    if (status === 200) throw new HttpFailure(`response of ${url} is not JSON`, { cause });
    return { status, body: undefined };
  }
}

async function readLimited(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new HttpFailure(`response larger than ${limit} bytes`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (cause) {
        throw new HttpFailure('response body could not be read', { cause });
      }
      if (chunk.done) break;
      size += chunk.value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        throw new HttpFailure(`response larger than ${limit} bytes`);
      }
      text += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return text + decoder.decode();
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
