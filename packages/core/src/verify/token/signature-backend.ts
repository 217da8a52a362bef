import type { JwsAlgorithm } from './jws-algorithm.js';

/**
 * The cryptographic primitive under JWT verification: checks one signature with one key.
 * Everything around it (the `alg` allow-list, strict base64url, the key's fitness for the
 * algorithm, key selection from the JWKS, claims) is the core's and is the same whatever
 * the backend, so two backends can only differ in speed.
 *
 * Two ship with prmkit: {@link webCryptoBackend} (the default, every runtime) and
 * `nodeCryptoBackend` from `@prmkit/core/node` (node:crypto with a `KeyObject` prepared
 * once per key: several times faster on Node). Pick one with `jwt.signatureBackend`.
 *
 * @example
 * ```ts
 * import { createResourceServer } from '@prmkit/core';
import { webCryptoBackend } from '@prmkit/core/verify';
 *
 * const rs = createResourceServer({
 *   resource: 'https://api.example.com/mcp',
 *   authorizationServers: ['https://auth.example.com'],
 *   jwt: { signatureBackend: webCryptoBackend },
 * });
 * ```
 * @see RFC 7515 §5.2 (validating a JWS), RFC 7518 §3 (the algorithms)
 */
export interface SignatureBackend {
  /** For logs and benchmarks: `webcrypto`, `node:crypto`, ... */
  readonly name: string;
  /**
   * Decodes a segment already checked to be canonical unpadded base64url. Optional: the
   * core's plain-JavaScript decoder is used without it.
   */
  decodeBase64url?(segment: string): Uint8Array;
  /**
   * Whether `signature` is `key`'s signature of `signingInput` (the ASCII
   * `header.payload` of the token) under `algorithm`. `key` is already known to fit
   * `algorithm` (family, digest, curve, RSA size, `verify` usage). An exception counts as
   * an invalid signature. ECDSA signatures are raw `r || s` (RFC 7518 §3.4), never DER.
   */
  verify(
    algorithm: JwsAlgorithm,
    key: CryptoKey,
    signingInput: string,
    signature: Uint8Array,
  ): boolean | Promise<boolean>;
}

const encoder = new TextEncoder();

function webCryptoParams(entry: JwsAlgorithm): AlgorithmIdentifier | RsaPssParams | EcdsaParams {
  switch (entry.family) {
    case 'RSA-PSS':
      return { name: 'RSA-PSS', saltLength: entry.saltLength ?? 0 };
    case 'ECDSA':
      return { name: 'ECDSA', hash: entry.hash ?? 'SHA-256' };
    default:
      // RSASSA-PKCS1-v1_5, HMAC: the digest is the key's. Ed25519: none.
      return { name: entry.family };
  }
}

/**
 * Verifies with Web Crypto (`crypto.subtle.verify`): available in every runtime prmkit
 * supports, and the default of `@prmkit/core`.
 *
 * @example
 * ```ts
 * const rs = createResourceServer({ ...config, jwt: { signatureBackend: webCryptoBackend } });
 * ```
 * @see RFC 7518 §3 (the algorithms), W3C Web Cryptography API §14.3.5 (`verify`)
 */
export const webCryptoBackend: SignatureBackend = Object.freeze({
  name: 'webcrypto',
  verify(
    algorithm: JwsAlgorithm,
    key: CryptoKey,
    signingInput: string,
    signature: Uint8Array,
  ): Promise<boolean> {
    return crypto.subtle.verify(
      webCryptoParams(algorithm),
      key,
      signature as Uint8Array<ArrayBuffer>,
      encoder.encode(signingInput),
    );
  },
});
