/** Hints for the client's stable error codes, phrased for someone watching the demo. */
const HINTS: Readonly<Record<string, string>> = {
  fetch_failed: 'a server did not answer: is it running, and is the address right?',
  fetch_timeout: 'a server took too long to answer',
  resource_mismatch: 'the metadata names another resource than the URL asked (RFC 9728 §3.3)',
  issuer_mismatch: 'the authorization server metadata names another issuer (RFC 8414 §3.3)',
  authorization_server_metadata_not_found:
    'the authorization server is unreachable or publishes no RFC 8414 metadata (see the requests above)',
  resource_metadata_not_found: 'the MCP server publishes no RFC 9728 metadata',
  unauthorized_after_token:
    'the server refused a freshly issued token: check its issuer and audience settings',
  step_up_limit: 'the server kept asking for more scope than the authorization server grants',
};

/**
 * One readable line for any failure: the messages along the `cause` chain (bounded),
 * plus a hint for known client error codes.
 *
 * @example
 * ```ts
 * explainError(new Error('connect failed', { cause: new Error('ECONNREFUSED') }));
 * // 'connect failed ← ECONNREFUSED'
 * ```
 */
export function explainError(error: unknown): string {
  const parts: string[] = [];
  let hint: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth += 1) {
    const e = current as { message?: unknown; code?: unknown; cause?: unknown };
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(current);
    const code = typeof e.code === 'string' ? e.code : undefined;
    hint ??= code === undefined ? undefined : HINTS[code];
    const text = code !== undefined && !message.includes(code) ? `${message} [${code}]` : message;
    if (!parts.some((p) => p.includes(message))) parts.push(text);
    current = e.cause;
  }
  return hint ? `${parts.join(' ← ')}\n     hint: ${hint}` : parts.join(' ← ');
}
