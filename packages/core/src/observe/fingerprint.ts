/**
 * A short, stable fingerprint of a token for correlating log lines: 12 hex digits of a
 * 64-bit non-cryptographic hash (two 32-bit FNV-1a-style lanes with a final avalanche).
 * It reveals nothing usable: a token carries far more entropy than 48 bits, so the token
 * cannot be recovered from it, only recognised by someone who already holds it.
 * Synchronous, so reporting a decision never waits.
 *
 * @example
 * ```ts
 * tokenFingerprint(token); // '3f9a0c51d2e4'
 * ```
 * @see RFC 6819 §5.1.4.1.3 (no tokens in clear in logs)
 */
export function tokenFingerprint(token: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ token.length;
  for (let i = 0; i < token.length; i += 1) {
    const c = token.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a = Math.imul(a ^ (a >>> 15), 0x2c1b3c6d) ^ Math.imul(b ^ (b >>> 13), 0x297a2d39);
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return (hex(a) + hex(b)).slice(0, 12);
}
