import { decodeJwt, decodeProtectedHeader } from 'jose';

/** What the demo shows of an access token: claims only, never the token itself. */
export interface TokenView {
  readonly typ: string | undefined;
  readonly alg: string | undefined;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
  readonly subject: string | undefined;
  readonly clientId: string | undefined;
  readonly scopes: readonly string[];
  readonly expiresInSeconds: number | undefined;
}

/**
 * Decodes (does not verify: the resource server does that) a JWT access token for display.
 * Returns undefined for an opaque token.
 *
 * @example
 * ```ts
 * viewAccessToken(token)?.audience; // 'http://127.0.0.1:41235/mcp'
 * ```
 * @see RFC 9068 §2.2 (claims of a JWT access token)
 */
export function viewAccessToken(token: string, now = Date.now()): TokenView | undefined {
  try {
    const header = decodeProtectedHeader(token);
    const claims = decodeJwt(token);
    const aud = Array.isArray(claims.aud) ? claims.aud.join(' ') : claims.aud;
    const scope = typeof claims.scope === 'string' ? claims.scope : '';
    return {
      typ: header.typ,
      alg: header.alg,
      issuer: claims.iss,
      audience: aud,
      subject: claims.sub,
      clientId: typeof claims.client_id === 'string' ? claims.client_id : undefined,
      scopes: scope.split(' ').filter(Boolean),
      expiresInSeconds: claims.exp === undefined ? undefined : Math.round(claims.exp - now / 1000),
    };
  } catch {
    return undefined;
  }
}

/** A secret shown only by its shape: first characters and length. */
export const redact = (secret: string, keep = 8): string => {
  if (keep === 0 || secret.length <= keep) return `‹${secret.length} chars, redacted›`;
  return `${secret.slice(0, keep)}…‹${secret.length} chars, redacted›`;
};
