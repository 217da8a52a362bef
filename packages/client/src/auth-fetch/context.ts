import type { DiscoveryResult } from '../discover-types.js';
import type { FetchLike } from '../http.js';
import { MetadataCache } from '../metadata-cache.js';
import { MemoryCredentialStore } from '../store.js';
import type { CredentialStore } from '../store.js';
import { DpopNonces } from '../dpop/dpop-nonces.js';
import { PreRegisteredBinding } from './client-binding.js';
import { CompatibilityRules } from './compatibility.js';
import type { AuthFetchOptions } from './options.js';

/** What every piece of `createAuthFetch` shares: the options with their defaults resolved once. */
export interface AuthContext {
  readonly options: AuthFetchOptions;
  readonly store: CredentialStore;
  readonly cache: MetadataCache;
  readonly fetch: FetchLike;
  readonly grant: 'authorization_code' | 'client_credentials';
  readonly maxAuthorizations: number;
  readonly binding: PreRegisteredBinding;
  readonly compatibility: CompatibilityRules;
  /** The last DPoP nonce of each authorization server and resource server. */
  readonly nonces: DpopNonces;
}

/** Resolves every default of {@link AuthFetchOptions}, in one place. */
export function resolveContext(options: AuthFetchOptions): AuthContext {
  return {
    options,
    store: options.store ?? new MemoryCredentialStore(),
    cache: options.cache ?? new MetadataCache(),
    fetch: options.fetch ?? globalThis.fetch,
    grant: options.grant ?? 'authorization_code',
    maxAuthorizations: options.maxAuthorizations ?? 3,
    binding: new PreRegisteredBinding(options.client),
    compatibility: new CompatibilityRules(options.compatibility, options.onWarning),
    nonces: new DpopNonces(),
  };
}

/** The RFC 8707 `resource` to send, unless the options say to omit it. */
export function resourceParameter(ctx: AuthContext, d: DiscoveryResult): string | undefined {
  if (ctx.options.resourceParameter === 'omit' || ctx.compatibility.omitsResource(d.issuer))
    return undefined;
  return d.resource;
}
