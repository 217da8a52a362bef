import type { KeyValueStore } from '@prmkit/core/store';
import { base64url } from 'jose';
import { tokenStoreKey, STORE_LIMITS } from '@prmkit/core/store';

/** An exchanged token as the cache keeps it. */
export interface CachedToken {
  readonly accessToken: string;
  readonly tokenType: string;
  /** Epoch milliseconds after which the token must not be used. */
  readonly expiresAt: number;
  readonly scope: string | undefined;
}

const encoder = new TextEncoder();

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  return base64url.encode(new Uint8Array(digest));
}

/**
 * AES-GCM key derived from the inbound token (HKDF-SHA-256, salted by the target): only a
 * holder of the inbound token can read what the cache holds for it. A shared Redis that
 * leaks its keys and values leaks no usable token, and every gateway instance derives the
 * same key without a shared secret.
 */
async function valueKey(inboundToken: string, slot: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    encoder.encode(inboundToken),
    'HKDF',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: encoder.encode(slot),
      info: encoder.encode('prmkit-gateway exchanged token v1'),
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * The exchanged-token cache: keyed per (inbound token fingerprint, target, scopes), value
 * encrypted under a key only the inbound token yields, kept until `marginMs` before expiry.
 *
 * @see RFC 6819 §5.1.4.1.3 (no tokens in clear), RFC 8693 §2.2.1 (`expires_in`)
 */
export class ExchangeCache {
  constructor(
    private readonly store: KeyValueStore,
    private readonly marginMs: number,
  ) {}

  /** The store key: `gateway-exchange:<SHA-256(inbound)>.<SHA-256(target and scopes)>`. */
  async slot(inboundToken: string, targetKey: string, scopes: readonly string[]): Promise<string> {
    const fingerprint = await tokenStoreKey('gateway-exchange', inboundToken);
    return `${fingerprint}.${await sha256(`${targetKey}\n${[...scopes].sort().join(' ')}`)}`;
  }

  async get(slot: string, inboundToken: string, now: number): Promise<CachedToken | undefined> {
    const stored = await this.store.get(slot);
    if (stored === undefined) return undefined;
    const [iv, sealed] = stored.split('.');
    if (iv === undefined || sealed === undefined) return undefined;
    let value: CachedToken;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: new Uint8Array(base64url.decode(iv)) },
        await valueKey(inboundToken, slot),
        new Uint8Array(base64url.decode(sealed)),
      );
      value = JSON.parse(new TextDecoder().decode(plain)) as CachedToken;
    } catch {
      return undefined; // not ours, or tampered with: exchange again
    }
    return value.expiresAt - this.marginMs > now ? value : undefined;
  }

  async set(slot: string, inboundToken: string, value: CachedToken, now: number): Promise<void> {
    const ttlMs = Math.min(value.expiresAt - this.marginMs - now, STORE_LIMITS.maxTtlMs);
    if (!(ttlMs >= 1)) return;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv },
      await valueKey(inboundToken, slot),
      encoder.encode(JSON.stringify(value)),
    );
    const stored = `${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`;
    if (stored.length > STORE_LIMITS.maxValueLength) return;
    await this.store.set(slot, stored, Math.floor(ttlMs));
  }
}
