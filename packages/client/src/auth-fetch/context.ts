import { PrmkitConfigError } from '@prmkit/core';
import type { DiscoveryResult } from '../discover-types.js';
import type { FetchLike } from '../http.js';
import { MetadataCache } from '../metadata-cache.js';
import { MemoryCredentialStore } from '../store.js';
import { urlPolicyIssues } from '../url-policy.js';
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

const DPOP_USES: readonly unknown[] = ['when-required', 'when-supported', 'never'];

/**
 * Refuses switches that are not their named literals (`PrmkitConfigError`, code
 * `config_invalid`), naming the new form for the booleans of earlier versions.
 */
function assertSwitches(options: AuthFetchOptions): void {
  const issues = urlPolicyIssues(options);
  const dpop: unknown = options.dpop;
  if (dpop !== undefined && !DPOP_USES.includes(dpop)) {
    const was =
      dpop === true
        ? " (the boolean form is gone: dpop: true is now dpop: 'when-supported')"
        : dpop === false
          ? " (the boolean form is gone: dpop: false is now dpop: 'never')"
          : '';
    issues.push({
      path: 'dpop',
      message: `must be 'when-required', 'when-supported' or 'never', got ${JSON.stringify(dpop)}${was}`,
    });
  }
  if (issues.length > 0) throw new PrmkitConfigError(issues);
}

/** Resolves every default of {@link AuthFetchOptions}, in one place. */
export function resolveContext(options: AuthFetchOptions): AuthContext {
  assertSwitches(options);
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
