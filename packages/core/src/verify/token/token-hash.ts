import { base64url } from 'jose';

/**
 * SHA-256 of a token, base64url-encoded: a cache key or log correlation id that never
 * reveals the token itself.
 *
 * @example
 * ```ts
 * const key = await hashToken(token); // 43 characters, e.g. 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg'
 * ```
 * @see RFC 6819 §5.1.4.1.3 (do not store tokens in clear)
 */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return base64url.encode(new Uint8Array(digest));
}
