import { base64url } from 'jose';

/** A PKCE pair; only `challenge` leaves the client before the token request. */
export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
  readonly method: 'S256';
}

/**
 * A fresh PKCE verifier (32 random bytes, 43 characters) and its S256 challenge, with Web
 * Crypto only.
 *
 * @example
 * ```ts
 * const { verifier, challenge } = await createPkce();
 * ```
 * @see RFC 7636 §4.1, §4.2
 */
export async function createPkce(): Promise<Pkce> {
  const verifier = randomToken(32);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url.encode(new Uint8Array(digest)), method: 'S256' };
}

/** `bytes` random bytes, base64url-encoded (for `state`, PKCE, `jti`). */
export function randomToken(bytes = 32): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}
