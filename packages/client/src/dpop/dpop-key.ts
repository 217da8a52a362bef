/**
 * A new DPoP key pair (RFC 9449 §2): ECDSA P-256 for ES256, with a non-extractable private
 * key, so that script on the page or a copied credentials file cannot take it away. Web
 * Crypto keeps public keys extractable, which the proof's `jwk` header needs.
 *
 * @example
 * ```ts
 * const key = await generateDpopKey();
 * key.privateKey.extractable; // false
 * ```
 * @see RFC 9449 §2 (the key), W3C Web Cryptography API §20.6 (`generateKey`)
 */
export async function generateDpopKey(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
}

/**
 * The JWS algorithm of keys from {@link generateDpopKey}: what the client looks for in an
 * authorization server's `dpop_signing_alg_values_supported`.
 *
 * @example
 * ```ts
 * metadata.dpop_signing_alg_values_supported?.includes(DPOP_ALGORITHM);
 * ```
 * @see RFC 9449 §5.1
 */
export const DPOP_ALGORITHM = 'ES256';
