/// <reference types="node" />
import { Buffer } from 'node:buffer';
import { constants, createHmac, KeyObject, timingSafeEqual, verify } from 'node:crypto';
import type { VerifyKeyObjectInput } from 'node:crypto';
import type { JwsAlgorithm } from '../verify/token/jws-algorithm.js';
import type { SignatureBackend } from '../verify/token/signature-backend.js';

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

/** What `verify` is given for one algorithm: the digest and the pinned key parameters. */
type VerifyArgs = readonly [digest: string | null, key: VerifyKeyObjectInput | KeyObject];

/**
 * The parameters RFC 7518 allows and Web Crypto uses: PKCS#1 v1.5 padding for RS*, PSS with
 * a salt as long as the digest for PS*, raw `r || s` (IEEE P1363) for ES*, never DER.
 * `undefined` for HMAC (compared here, in constant time) and for anything else (refused).
 */
function verifyArgs(algorithm: JwsAlgorithm, keyObject: KeyObject): VerifyArgs | undefined {
  switch (algorithm.family) {
    case 'RSASSA-PKCS1-v1_5':
      return [hashOf(algorithm), { key: keyObject, padding: constants.RSA_PKCS1_PADDING }];
    case 'RSA-PSS':
      return [
        hashOf(algorithm),
        {
          key: keyObject,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: algorithm.saltLength ?? constants.RSA_PSS_SALTLEN_DIGEST,
        },
      ];
    case 'ECDSA':
      return [hashOf(algorithm), { key: keyObject, dsaEncoding: 'ieee-p1363' }];
    case 'Ed25519':
      return [null, keyObject];
    default:
      return undefined;
  }
}

function hmacMatches(
  algorithm: JwsAlgorithm,
  keyObject: KeyObject,
  data: Buffer,
  signature: Uint8Array,
): boolean {
  const mac = createHmac(hashOf(algorithm), keyObject).update(data).digest();
  return mac.length === signature.length && timingSafeEqual(mac, signature);
}

// The signing input is base64url and dots: ASCII, so latin1 is its exact byte form.
const bytesOf = (signingInput: string): Buffer => Buffer.from(signingInput, 'latin1');
const decodeBase64url = (segment: string): Uint8Array => Buffer.from(segment, 'base64url');

/** A backend around one way of running `verify`: the key, parameters and HMAC are shared. */
function nodeBackend(
  name: string,
  run: (args: VerifyArgs, data: Buffer, signature: Uint8Array) => boolean | Promise<boolean>,
): SignatureBackend {
  return Object.freeze({
    name,
    decodeBase64url,
    verify(algorithm: JwsAlgorithm, key: CryptoKey, signingInput: string, signature: Uint8Array) {
      const keyObject = keyObjectFor(key);
      const data = bytesOf(signingInput);
      if (algorithm.family === 'HMAC') return hmacMatches(algorithm, keyObject, data, signature);
      const args = verifyArgs(algorithm, keyObject);
      return args !== undefined && run(args, data, signature);
    },
  });
}

/**
 * Verifies with node:crypto's synchronous `verify` and a `KeyObject` prepared once per
 * key: no key import, promise or thread-pool round trip per token, so RS256 and ES256
 * checks run several times faster than through Web Crypto on the same machine, and cost
 * the least CPU per token. The parameters are pinned to what RFC 7518 allows and Web
 * Crypto does: PKCS#1 v1.5 padding for RS*, PSS with a salt as long as the digest for PS*,
 * raw `r || s` (IEEE P1363) for ES*, never DER; HMAC compared in constant time. Segments
 * are decoded with `Buffer`, after the core's canonical-base64url check.
 *
 * The default of `createResourceServer` imported from `@prmkit/core/node`. The check runs
 * on the event loop; see {@link nodeCryptoThreadPoolBackend} for a process with idle cores.
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
export const nodeCryptoBackend: SignatureBackend = nodeBackend(
  'node:crypto',
  (args, data, signature) => verify(args[0], data, args[1], signature),
);

/**
 * The same checks as {@link nodeCryptoBackend}, with the same `KeyObject`s and parameters,
 * but each signature is verified on libuv's thread pool (node:crypto's `verify` with a
 * callback), so the event loop goes on serving other requests meanwhile. It costs a
 * little more CPU per token (a thread hand-off) and returns a promise; it pays off when
 * the process has idle cores and the signature is the expensive part: on a 2-core machine
 * sharing its cores with the load generator, ES256 requests with a new token every time
 * were served 1.4–1.6 times as fast (see BENCHMARKS.md). HMAC stays on the event loop.
 *
 * @example
 * ```ts
 * import { createResourceServer, nodeCryptoThreadPoolBackend } from '@prmkit/core/node';
 *
 * const rs = createResourceServer({
 *   resource: 'https://api.example.com/mcp',
 *   authorizationServers: ['https://auth.example.com'],
 *   jwt: { algorithms: ['ES256'], signatureBackend: nodeCryptoThreadPoolBackend },
 * });
 * ```
 * @see RFC 7518 §3.3–§3.5, RFC 8037 §3.1
 */
export const nodeCryptoThreadPoolBackend: SignatureBackend = nodeBackend(
  'node:crypto (thread pool)',
  (args, data, signature) =>
    new Promise((resolve, reject) => {
      verify(args[0], data, args[1], signature, (error, valid) =>
        error ? reject(error) : resolve(valid),
      );
    }),
);
