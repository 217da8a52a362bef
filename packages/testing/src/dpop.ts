import { SignJWT, base64url, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';

/** What one proof says; every member can be overridden to build a broken proof. */
export interface DpopProofOptions {
  /** `htm`. */
  readonly method: string;
  /** `htu`. */
  readonly url: string;
  /** The access token the proof goes with (`ath` is its SHA-256); omitted: no `ath`. */
  readonly accessToken?: string;
  readonly nonce?: string;
  /** `iat`, seconds. Default now. */
  readonly iat?: number;
  /** `jti`. Default a random UUID. */
  readonly jti?: string;
  /** Header `typ`. Default `dpop+jwt`; `null` omits it. */
  readonly typ?: string | null;
  /** Header `jwk`. Default the key's public JWK. */
  readonly jwk?: Readonly<Record<string, unknown>> | null;
  /** Extra claims (or `undefined` values to remove one: `{ ath: undefined }`). */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Sign with another key (the header still names this key's `jwk`). */
  readonly signWith?: CryptoKey;
}

/** A client's DPoP key pair: makes real jose-signed proofs (RFC 9449 §4.2). */
export interface DpopTestKey {
  readonly alg: string;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
  readonly privateKey: CryptoKey;
  /** RFC 7638 SHA-256 thumbprint: the `cnf.jkt` of tokens bound to this key. */
  readonly jkt: string;
  proof(options: DpopProofOptions): Promise<string>;
}

/** base64url SHA-256 of an access token: a proof's `ath` (RFC 9449 §4.2). */
export async function accessTokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return base64url.encode(new Uint8Array(digest));
}

/**
 * A DPoP key for tests, making proofs with jose. Defaults give a valid proof; options
 * break one member at a time.
 *
 * @example
 * ```ts
 * const key = await createDpopTestKey();
 * const token = await issuer.mint({ cnf: { jkt: key.jkt } });
 * const proof = await key.proof({ method: 'GET', url: resource, accessToken: token });
 * await fetch(resource, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
 * ```
 * @see RFC 9449 §4.2, RFC 7638
 */
export async function createDpopTestKey(alg = 'ES256'): Promise<DpopTestKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const jkt = await calculateJwkThumbprint(publicJwk, 'sha256');
  return {
    alg,
    publicJwk,
    privateJwk,
    privateKey,
    jkt,
    async proof(o) {
      const claims: Record<string, unknown> = {
        jti: o.jti ?? crypto.randomUUID(),
        htm: o.method,
        htu: o.url,
        iat: o.iat ?? Math.floor(Date.now() / 1000),
      };
      if (o.accessToken !== undefined) claims.ath = await accessTokenHash(o.accessToken);
      if (o.nonce !== undefined) claims.nonce = o.nonce;
      for (const [k, v] of Object.entries(o.claims ?? {})) {
        if (v === undefined) delete claims[k];
        else claims[k] = v;
      }
      const header: Record<string, unknown> = { alg };
      if (o.typ !== null) header.typ = o.typ ?? 'dpop+jwt';
      if (o.jwk !== null) header.jwk = o.jwk ?? publicJwk;
      return new SignJWT(claims)
        .setProtectedHeader(header as { alg: string })
        .sign(o.signWith ?? privateKey);
    },
  };
}
