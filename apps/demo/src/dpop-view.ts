import { decodeJwt, decodeProtectedHeader } from 'jose';

/** What the demo shows of a DPoP proof (RFC 9449 §4.2): decoded, not verified. */
export interface ProofView {
  readonly typ: string | undefined;
  readonly alg: string | undefined;
  readonly htm: string | undefined;
  readonly htu: string | undefined;
  readonly jti: string | undefined;
  /** Whether the proof carries `ath` (the access token hash) and a server `nonce`. */
  readonly ath: boolean;
  readonly nonce: boolean;
}

/**
 * Decodes a DPoP proof for display; undefined when it is not a JWT.
 *
 * @example
 * ```ts
 * viewDpopProof(request.headers.get('dpop') ?? '')?.htm; // 'POST'
 * ```
 * @see RFC 9449 §4.2
 */
export function viewDpopProof(proof: string): ProofView | undefined {
  try {
    const header = decodeProtectedHeader(proof);
    const claims = decodeJwt(proof);
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    return {
      typ: header.typ,
      alg: header.alg,
      htm: str(claims['htm']),
      htu: str(claims['htu']),
      jti: str(claims.jti),
      ath: typeof claims['ath'] === 'string',
      nonce: typeof claims['nonce'] === 'string',
    };
  } catch {
    return undefined;
  }
}

/**
 * The `cnf.jkt` of a JWT access token (RFC 9449 §6.1), or undefined when it is not bound.
 *
 * @example
 * ```ts
 * boundKeyThumbprint(accessToken); // 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
 * ```
 * @see RFC 9449 §6.1
 */
export function boundKeyThumbprint(token: string): string | undefined {
  try {
    const cnf = decodeJwt(token).cnf as { jkt?: unknown } | undefined;
    return typeof cnf?.jkt === 'string' ? cnf.jkt : undefined;
  } catch {
    return undefined;
  }
}
