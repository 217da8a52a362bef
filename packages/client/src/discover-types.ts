import type { AuthChallenge } from './challenges.js';
import type { AuthorizationServerMetadata, ProtectedResourceMetadata } from './metadata-types.js';
import type { MetadataSigner } from './signed-metadata-types.js';

/**
 * One request made during discovery, for tools that show the path taken.
 * `outcome`: `challenge` (401/403 with challenges), `unprotected` (no 401), `ok` (document
 * accepted), `miss` (4xx or network failure: try the next URL), `error` (5xx or invalid
 * document: stop), `rejected` (refused by a safety rule: stop).
 */
export interface DiscoveryStep {
  readonly step: 'probe' | 'resource_metadata' | 'authorization_server_metadata';
  readonly url: string;
  readonly status: number | undefined;
  readonly outcome: 'challenge' | 'unprotected' | 'ok' | 'miss' | 'error' | 'rejected' | 'cached';
  readonly detail?: string;
  /** Milliseconds the request took. */
  readonly ms: number;
}

/**
 * Everything a client needs to authorize against a protected resource, all validated.
 *
 * @see RFC 9728 §3.3, RFC 8414 §3.3
 */
export interface DiscoveryResult {
  /** The URL discovery started from. */
  readonly serverUrl: string;
  /** Bearer and DPoP challenges of the probe response (Bearer first). */
  readonly challenges: readonly AuthChallenge[];
  /** The protected resource identifier (RFC 8707 `resource` for every request). */
  readonly resource: string;
  readonly resourceMetadataUrl: string;
  /** The document as used: with verified signed values over the plain ones (RFC 9728 §2.2). */
  readonly resourceMetadata: ProtectedResourceMetadata;
  /** Who signed the metadata, when `signedMetadata` verified its `signed_metadata`. */
  readonly resourceMetadataSigner?: MetadataSigner;
  /** The chosen authorization server's issuer identifier; all state is keyed by it. */
  readonly issuer: string;
  readonly authorizationServerMetadataUrl: string;
  readonly authorizationServerMetadata: AuthorizationServerMetadata;
  /** Scopes to request: challenge `scope`, else PRM `scopes_supported`, else undefined. */
  readonly scopes: readonly string[] | undefined;
  /** Every request made, in order. */
  readonly steps: readonly DiscoveryStep[];
}
