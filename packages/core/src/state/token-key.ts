import { hashToken } from '../util/token-hash.js';

/**
 * The store key for something about one token: `<namespace>:<SHA-256 of the token,
 * base64url>`. The token never appears in a key, so a store (a shared Redis, a KV
 * namespace) that leaks its keys leaks no credential. A plain hash is enough: access
 * tokens carry at least 128 bits of entropy, so the digest cannot be reversed by guessing,
 * and every instance derives the same key without sharing a secret (a keyed hash would
 * add a key to distribute and rotate for no gain).
 *
 * @example
 * ```ts
 * import { tokenStoreKey } from '@prmkit/core/store';
 *
 * await tokenStoreKey('introspection', token); // 'introspection:n4bQgYhMfWWaL-qgxVrQ…'
 * ```
 * @see RFC 6819 §5.1.4.1.3 (do not store tokens in clear)
 */
export async function tokenStoreKey(namespace: string, token: string): Promise<string> {
  return `${namespace}:${await hashToken(token)}`;
}
