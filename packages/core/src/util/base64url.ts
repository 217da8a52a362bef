const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Whether `segment` is canonical unpadded base64url (RFC 7515 §2, RFC 4648 §5 and §3.5):
 * only the URL-safe alphabet, no `=` padding, no whitespace, a length a decoder can end
 * on, and zero bits where the last character has bits to spare. Every JWS segment passes
 * this before any backend decodes it, so no backend's own leniency (padding, `+` and `/`,
 * skipped characters) can make one token string verify where another would not, and no
 * two strings decode to the same signature.
 */
export function isCanonicalBase64url(segment: string): boolean {
  const rest = segment.length % 4;
  if (rest === 1 || !BASE64URL.test(segment)) return false;
  if (rest === 0) return true;
  const last = VALUE[segment.charCodeAt(segment.length - 1)] ?? -1;
  // Two characters carry 8 bits (4 spare), three carry 16 (2 spare).
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/**
 * Decodes canonical base64url (checked with {@link isCanonicalBase64url} first) in plain
 * JavaScript: the Web-standard default; a signature backend may bring a faster one.
 */
export function decodeBase64url(segment: string): Uint8Array {
  const out = new Uint8Array(Math.floor((segment.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let at = 0;
  for (let i = 0; i < segment.length; i++) {
    buffer = ((buffer << 6) | (VALUE[segment.charCodeAt(i)] ?? 0)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}
