/**
 * Whether a `Content-Type` is JSON: `application/json` or any `application/*+json`,
 * parameters ignored, case-insensitive.
 *
 * @example
 * ```ts
 * isJsonMediaType('application/json; charset=utf-8'); // true
 * isJsonMediaType('text/plain');                       // false
 * ```
 * @see RFC 8259 §11, RFC 6839 §3.1 (+json)
 */
export function isJsonMediaType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const type = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

/**
 * Whether a request carries a body that `authorize` reads for per-tool scopes: a POST with
 * a JSON content type. Adapters parse exactly these (and hand the result over as `body`);
 * any other request that could reach a tool needs every tool scope.
 *
 * @example
 * ```ts
 * const body = carriesJsonRpcBody(req.method, req.headers['content-type']) ? parsed : undefined;
 * ```
 * @see MCP 2025-11-25 Transports (Streamable HTTP: JSON-RPC over POST), RFC 6750 §3.1
 */
export function carriesJsonRpcBody(
  method: string,
  contentType: string | null | undefined,
): boolean {
  return method.toUpperCase() === 'POST' && isJsonMediaType(contentType);
}
