import type { DiscoveryResult } from '../discover-types.js';
import type { HttpPolicy } from '../http.js';
import type { MetadataCache } from '../metadata-cache.js';
import type { ProtectedResourceMetadata } from '../metadata-types.js';
import type { PkcePolicy } from '../oauth/authorization.js';
import type { PreRegisteredClient } from '../oauth/types.js';
import type { CredentialStore } from '../store.js';
import type { ServerCompatibility } from './compatibility.js';
import type { SignedMetadataPolicy } from '../signed-metadata-types.js';

/**
 * When `createAuthFetch` binds tokens with DPoP (see {@link AuthFetchOptions.dpop}).
 *
 * @see RFC 9449 §5, RFC 9728 §2 (`dpop_bound_access_tokens_required`)
 */
export type DpopUse = 'when-required' | 'when-supported' | 'never';

/** Options of `createAuthFetch`. */
export interface AuthFetchOptions extends HttpPolicy {
  /** `authorization_code` (default; a user approves) or `client_credentials` (machine to machine). */
  readonly grant?: 'authorization_code' | 'client_credentials';
  /** A pre-registered client. Without it: CIMD (`clientMetadataUrl`), then dynamic registration. */
  readonly client?: PreRegisteredClient;
  /** https URL of this client's Client ID Metadata Document, used when the AS supports CIMD. */
  readonly clientMetadataUrl?: string;
  /** Members merged into the RFC 7591 registration request (`client_name`, `logo_uri`, ...). */
  readonly clientMetadata?: Readonly<Record<string, unknown>>;
  /** Redirect URI for the authorization code grant (e.g. from `startLoopbackRedirect()`). */
  readonly redirectUri?: string;
  /**
   * Shows the authorization URL to the user and resolves with the URL the browser was
   * redirected to (code, state, iss). Never passed to a shell by prmkit. See
   * `startLoopbackRedirect` in `@prmkit/client/node`.
   */
  readonly openAuthorizationUrl?: (url: URL) => Promise<string | URL>;
  /** Default: a new `MemoryCredentialStore`. */
  readonly store?: CredentialStore;
  /** Default: a new `MetadataCache`. */
  readonly cache?: MetadataCache;
  /** What to do when the AS omits `code_challenge_methods_supported`. Default refuse. */
  readonly pkce?: PkcePolicy;
  /** RFC 8707 `resource` on authorization, token and refresh requests. Default `'send'`. */
  readonly resourceParameter?: 'send' | 'omit';
  /** Request `offline_access` when the AS lists it in scopes_supported. Default `'if-advertised'`. */
  readonly offlineAccess?: 'if-advertised' | 'never';
  /** Full authorizations allowed before a success (initial + step-ups). Default 3. */
  readonly maxAuthorizations?: number;
  /** Trusted signers of `signed_metadata` (RFC 9728 §2.2), passed to `discover`. */
  readonly signedMetadata?: SignedMetadataPolicy;
  /** Picks among several authorization servers. Default the first. */
  readonly selectAuthorizationServer?: (
    issuers: readonly string[],
    metadata: ProtectedResourceMetadata,
  ) => string;
  /**
   * Named deviations for authorization servers that cannot follow the MCP flow (a
   * pre-registered client per issuer, Entra's `AADSTS9010010` and scope form). Default none:
   * strict. Each warns through `onWarning` when first used.
   */
  readonly compatibility?: readonly ServerCompatibility[];
  /** Where compatibility warnings go. Default `console.warn`. */
  readonly onWarning?: (message: string) => void;
  /**
   * DPoP (RFC 9449), when to bind tokens to a non-extractable key of this client:
   * `'when-required'` (default) only when the resource requires it
   * (`dpop_bound_access_tokens_required`, or a 401 with DPoP challenges only);
   * `'when-supported'` also whenever the authorization server advertises ES256 in
   * `dpop_signing_alg_values_supported`; `'never'` never (a DPoP-only resource then refuses
   * the client). Proofs go on token requests and on every resource request, with nonce
   * retries kept apart for the AS and the resource.
   */
  readonly dpop?: DpopUse;
  /** Called with each discovery result (for logging or UI). */
  readonly onDiscovery?: (result: DiscoveryResult) => void;
}
