/** A decoded JSON body: the value, or why there is none to inspect. */
export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: 'malformed' | 'too_large' };

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a JSON request body (UTF-8, RFC 8259 §8.1). An empty body is not malformed: it
 * is no message at all (`value: undefined`), which the decision treats as uninspectable
 * (every tool scope applies). Invalid UTF-8 or JSON is `malformed`.
 *
 * @example
 * ```ts
 * const body = decodeJsonBody(bytes);
 * if (body.ok) req.body = body.value;
 * ```
 * @see RFC 8259 §8.1, MCP 2025-11-25 Transports (JSON-RPC over POST)
 */
export function decodeJsonBody(bytes: Uint8Array): JsonBody {
  if (bytes.byteLength === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(decoder.decode(bytes)) as unknown };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}
