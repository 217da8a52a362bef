/// <reference types="node" />
import { Buffer } from 'node:buffer';
import { constants, createHmac, KeyObject, timingSafeEqual, verify } from 'node:crypto';
import type { JwsAlgorithm } from '../token/jws-algorithm.js';
import type { SignatureBackend } from '../token/signature-backend.js';

const HASH: Readonly<Record<string, string>> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

// One KeyObject per CryptoKey. jose imports each JWK once per algorithm and hands back the
// same CryptoKey for every token, so this is one conversion per key, not per token; keys
// dropped from the JWKS are collected with their CryptoKey.
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

function keyObjectFor(key: CryptoKey): KeyObject {
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    keyObject = KeyObject.from(key);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

function hashOf(algorithm: JwsAlgorithm): string {
  const hash = algorithm.hash === undefined ? undefined : HASH[algorithm.hash];
  if (hash === undefined) throw new TypeError(`no digest for ${algorithm.alg}`);
  return hash;
}

/**
 * Verifies with node:crypto's synchronous `verify` and a `KeyObject` prepared once per
 * key: no key import, promise or thread-pool round trip per token, so RS256 and ES256
 * checks run several times faster than through Web Crypto on the same machine. The
 * parameters are pinned to what RFC 7518 allows and Web Crypto does: PKCS#1 v1.5 padding
 * for RS*, PSS with a salt as long as the digest for PS*, raw `r || s` (IEEE P1363) for
 * ES*, never DER; HMAC compared in constant time. Segments are decoded with `Buffer`, after
 * the core's canonical-base64url check.
 *
 * The default of `createResourceServer` imported from `@prmkit/core/node`.
 *
 * @example
 * ```ts
 * import { createResourceServer } from '@prmkit/core';
 * import { nodeCryptoBackend } from '@prmkit/core/node';
 *
 * const rs = createResourceServer({
 *   resource: 'https://api.example.com/mcp',
 *   authorizationServers: ['https://auth.example.com'],
 *   jwt: { signatureBackend: nodeCryptoBackend },
 * });
 * ```
 * @see RFC 7518 §3.3 (RS*), §3.4 (ES*, raw signatures), §3.5 (PS*), §3.2 (HS*); RFC 8037 §3.1 (EdDSA)
 */
export const nodeCryptoBackend: SignatureBackend = Object.freeze({
  name: 'node:crypto',
  decodeBase64url(segment: string): Uint8Array {
    return Buffer.from(segment, 'base64url');
  },
  verify(
    algorithm: JwsAlgorithm,
    key: CryptoKey,
    signingInput: string,
    signature: Uint8Array,
  ): boolean {
    const keyObject = keyObjectFor(key);
    // The signing input is base64url and dots: ASCII, so latin1 is its exact byte form.
    const data = Buffer.from(signingInput, 'latin1');
    switch (algorithm.family) {
      case 'RSASSA-PKCS1-v1_5':
        return verify(
          hashOf(algorithm),
          data,
          { key: keyObject, padding: constants.RSA_PKCS1_PADDING },
          signature,
        );
      case 'RSA-PSS':
        return verify(
          hashOf(algorithm),
          data,
          {
            key: keyObject,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: algorithm.saltLength ?? constants.RSA_PSS_SALTLEN_DIGEST,
          },
          signature,
        );
      case 'ECDSA':
        return verify(
          hashOf(algorithm),
          data,
          { key: keyObject, dsaEncoding: 'ieee-p1363' },
          signature,
        );
      case 'Ed25519':
        return verify(null, data, keyObject, signature);
      case 'HMAC': {
        const mac = createHmac(hashOf(algorithm), keyObject).update(data).digest();
        return mac.length === signature.length && timingSafeEqual(mac, signature);
      }
      default:
        return false;
    }
  },
});
