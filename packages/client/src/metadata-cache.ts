import type { DiscoveryResult } from './discover-types.js';

/** Options of {@link MetadataCache}. */
export interface MetadataCacheOptions {
  /** Freshness used when a document has no Cache-Control. Default 300 s. */
  readonly defaultTtlSeconds?: number;
  /** Upper bound on any freshness, whatever Cache-Control says. Default 3600 s. */
  readonly maxTtlSeconds?: number;
  /** Entries kept; the oldest is dropped first. Default 100. */
  readonly maxEntries?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

interface Entry {
  readonly result: DiscoveryResult;
  readonly expiresAt: number;
}

/**
 * Discovery results per server URL, each bound to one (resource, issuer) pair. Only a
 * fully validated discovery is stored, so a failed or partial one never replaces a good
 * entry; `invalidate` drops a pair after a mismatch, `invalid_client` or repeated 401s.
 *
 * @example
 * ```ts
 * const cache = new MetadataCache({ maxTtlSeconds: 600 });
 * const result = await discover('https://mcp.example.com/mcp', { cache });
 * ```
 * @see RFC 9111 §5.2.2 (max-age, no-store), RFC 9728 §3.3
 */
export class MetadataCache {
  readonly #entries = new Map<string, Entry>();
  readonly #defaultTtl: number;
  readonly #maxTtl: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: MetadataCacheOptions = {}) {
    this.#defaultTtl = options.defaultTtlSeconds ?? 300;
    this.#maxTtl = options.maxTtlSeconds ?? 3600;
    this.#maxEntries = options.maxEntries ?? 100;
    this.#now = options.now ?? Date.now;
  }

  /** A fresh entry for `serverUrl`, or undefined (expired entries are dropped). */
  get(serverUrl: string): DiscoveryResult | undefined {
    const entry = this.#entries.get(serverUrl);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(serverUrl);
      return undefined;
    }
    return entry.result;
  }

  /**
   * Stores a validated result. `ttlSeconds` values (one per document; undefined = no
   * Cache-Control) are combined with the default and the cap; 0 stores nothing.
   */
  set(
    serverUrl: string,
    result: DiscoveryResult,
    ttlSeconds: readonly (number | undefined)[],
  ): void {
    const ttl = Math.min(this.#maxTtl, ...ttlSeconds.map((t) => t ?? this.#defaultTtl));
    if (!(ttl > 0)) {
      this.#entries.delete(serverUrl);
      return;
    }
    this.#entries.delete(serverUrl);
    this.#entries.set(serverUrl, { result, expiresAt: this.#now() + ttl * 1000 });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  /** Drops every entry bound to this (resource, issuer) pair (either part may be omitted). */
  invalidate(resource: string | undefined, issuer?: string): void {
    for (const [key, { result }] of this.#entries) {
      if (
        (resource === undefined || result.resource === resource) &&
        (issuer === undefined || result.issuer === issuer)
      ) {
        this.#entries.delete(key);
      }
    }
  }

  /** Drops the entry of one server URL. */
  delete(serverUrl: string): void {
    this.#entries.delete(serverUrl);
  }

  get size(): number {
    return this.#entries.size;
  }
}
