import type { ClientIdentity, TokenSet } from './oauth/types.js';

/**
 * Credentials are bound to one protected resource AND one authorization server: nothing
 * obtained from one issuer is ever sent to another.
 *
 * @see RFC 9728 §7.6, SEP-2352 (credentials keyed by issuer)
 */
export interface StoreKey {
  readonly resource: string;
  readonly issuer: string;
}

/** What is kept per (resource, issuer). Pre-registered secrets are never stored. */
export interface StoredCredentials {
  /** A dynamically registered client (RFC 7591), reused while its redirect URI is. */
  readonly client?: ClientIdentity | undefined;
  readonly tokens?: TokenSet | undefined;
}

/**
 * Where credentials live. Implement it over a keychain or database; `MemoryCredentialStore`
 * here and `FileCredentialStore` in `@prmkit/client/node` are provided.
 *
 * @example
 * ```ts
 * const store: CredentialStore = new MemoryCredentialStore();
 * const fetch = createAuthFetch({ store, redirectUri, openAuthorizationUrl });
 * ```
 * @see RFC 6749 §10.3, §10.4 (token confidentiality)
 */
export interface CredentialStore {
  get(key: StoreKey): Promise<StoredCredentials | undefined>;
  set(key: StoreKey, value: StoredCredentials): Promise<void>;
  delete(key: StoreKey): Promise<void>;
}

/**
 * The string a store files a {@link StoreKey} under: unambiguous whatever the URLs contain
 * (no separator can collide). Use it when you implement {@link CredentialStore} over a
 * key-value database, so credentials stay bound to one resource and one authorization
 * server.
 *
 * @example
 * ```ts
 * const id = storeKeyId({ resource: 'https://mcp.example.com/mcp', issuer: 'https://auth.example.com' });
 * await kv.set(`prmkit:${id}`, JSON.stringify(credentials));
 * ```
 * @see RFC 8707 §2 (resource), RFC 8414 §3.3 (issuer)
 */
export function storeKeyId(key: StoreKey): string {
  return JSON.stringify([key.resource, key.issuer]);
}

/**
 * Credentials in process memory (gone when the process exits).
 *
 * @example
 * ```ts
 * const store = new MemoryCredentialStore();
 * await store.get({ resource: 'https://mcp.example.com/mcp', issuer: 'https://auth.example.com' });
 * ```
 * @see RFC 6749 §10.3
 */
export class MemoryCredentialStore implements CredentialStore {
  readonly #entries = new Map<string, StoredCredentials>();

  async get(key: StoreKey): Promise<StoredCredentials | undefined> {
    return this.#entries.get(storeKeyId(key));
  }

  async set(key: StoreKey, value: StoredCredentials): Promise<void> {
    this.#entries.set(storeKeyId(key), value);
  }

  async delete(key: StoreKey): Promise<void> {
    this.#entries.delete(storeKeyId(key));
  }
}
