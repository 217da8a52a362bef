import type { DiscoveryResult } from '../discover-types.js';
import type { ClientIdentityInput } from '../oauth/registration.js';
import type { ClientIdentity, PreRegisteredClient } from '../oauth/types.js';
import type { AuthContext } from './context.js';

/**
 * A pre-registered client serves one authorization server: the one it names, else the
 * first one it is used with. Another server named by some resource never gets its secret.
 */
export class PreRegisteredBinding {
  #issuer: string | undefined;
  readonly #client: PreRegisteredClient | undefined;

  constructor(client: PreRegisteredClient | undefined) {
    this.#client = client;
    this.#issuer = client?.issuer;
  }

  /** The pre-registered client, bound to its issuer (binding it to `issuer` on first use). */
  for(issuer: string): PreRegisteredClient | undefined {
    if (!this.#client) return undefined;
    this.#issuer ??= issuer;
    return { ...this.#client, issuer: this.#issuer };
  }
}

/** What `resolveClientIdentity` needs to pick the client identity for `d`'s server. */
export function identityInput(
  ctx: AuthContext,
  d: DiscoveryResult,
  stored: ClientIdentity | undefined,
): ClientIdentityInput {
  return {
    metadata: d.authorizationServerMetadata,
    grant: ctx.grant,
    preRegistered: ctx.compatibility.client(d.issuer) ?? ctx.binding.for(d.issuer),
    clientMetadataUrl: ctx.options.clientMetadataUrl,
    clientMetadata: ctx.options.clientMetadata,
    redirectUri: ctx.options.redirectUri,
    stored,
    policy: ctx.options,
  };
}
