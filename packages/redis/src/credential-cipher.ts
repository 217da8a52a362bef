import { base64url } from './base64url.js';

const VERSION = 'v1';
const IV_BYTES = 12;

/** Imports a 32-byte AES-256-GCM key given as bytes or as base64url text. */
export async function importCredentialKey(key: Uint8Array | string): Promise<CryptoKey> {
  const bytes = typeof key === 'string' ? base64url.decode(key) : new Uint8Array(key);
  if (bytes === undefined || bytes.length !== 32) {
    throw new TypeError(
      'encryptionKey must be 32 bytes (a Uint8Array, or base64url text of 32 random bytes)',
    );
  }
  return crypto.subtle.importKey('raw', bytes, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/**
 * `v1.<iv>.<ciphertext and tag>`, both base64url. `context` is authenticated, not stored:
 * a value copied under another (resource, issuer) does not decrypt there.
 */
export async function sealText(
  key: CryptoKey,
  plaintext: string,
  context: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
    key,
    new TextEncoder().encode(plaintext),
  );
  return `${VERSION}.${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`;
}

/** The plaintext, or `undefined` when `sealed` is not ours, tampered with, or under another key. */
export async function openText(
  key: CryptoKey,
  sealed: string,
  context: string,
): Promise<string | undefined> {
  const [version, ivText, dataText, extra] = sealed.split('.');
  if (version !== VERSION || ivText === undefined || dataText === undefined || extra !== undefined)
    return undefined;
  const iv = base64url.decode(ivText);
  const data = base64url.decode(dataText);
  if (iv?.length !== IV_BYTES || data === undefined) return undefined;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
      key,
      data,
    );
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    return undefined;
  }
}
