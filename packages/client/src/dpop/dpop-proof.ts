import { SignJWT, base64url, exportJWK } from 'jose';
import type { JWK } from 'jose';
import { randomToken } from '../oauth/pkce.js';
import { DPOP_ALGORITHM } from './dpop-key.js';

/** What one proof is for. */
export interface DpopProofInput {
  /** `htm`: the request method. */
  readonly method: string;
  /** The request URL; `htu` is it without query and fragment. */
  readonly url: string | URL;
  /** The access token sent with the proof (resource requests): `ath` is its SHA-256. */
  readonly accessToken?: string | undefined;
  /** A server nonce (RFC 9449 §8, §9). */
  readonly nonce?: string | undefined;
}

const publicJwks = new WeakMap<CryptoKey, Promise<JWK>>();

/** The public members of the key only (RFC 7638 set), exported once per key. */
function publicJwk(key: CryptoKey): Promise<JWK> {
  let jwk = publicJwks.get(key);
  if (!jwk) {
    jwk = exportJWK(key).then(({ kty, crv, x, y }) => ({ kty, crv, x, y }) as JWK);
    publicJwks.set(key, jwk);
  }
  return jwk;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return base64url.encode(new Uint8Array(digest));
}

/**
 * A DPoP proof JWT (RFC 9449 §4.2) for one request: `typ: dpop+jwt`, ES256, the public
 * `jwk`, a fresh random `jti`, `htm`, `htu` (query and fragment removed), `iat`, and `ath`
 * and `nonce` when given.
 *
 * @example
 * ```ts
 * const key = await generateDpopKey();
 * const proof = await createDpopProof(key, { method: 'GET', url: 'https://mcp.example.com/mcp', accessToken });
 * await fetch('https://mcp.example.com/mcp', { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } });
 * ```
 * @see RFC 9449 §4.2, §4.3
 */
export async function createDpopProof(key: CryptoKeyPair, input: DpopProofInput): Promise<string> {
  const htu = new URL(input.url);
  htu.search = '';
  htu.hash = '';
  const claims: Record<string, unknown> = {
    jti: randomToken(16),
    htm: input.method.toUpperCase(),
    htu: htu.href,
    iat: Math.floor(Date.now() / 1000),
  };
  if (input.accessToken !== undefined) claims.ath = await sha256(input.accessToken);
  if (input.nonce !== undefined) claims.nonce = input.nonce;
  return new SignJWT(claims)
    .setProtectedHeader({
      alg: DPOP_ALGORITHM,
      typ: 'dpop+jwt',
      jwk: await publicJwk(key.publicKey),
    })
    .sign(key.privateKey);
}
