import type { DiscoveryResult } from '../discover-types.js';
import type { ClientIdentityInput } from '../oauth/registration.js';
import type { ClientIdentity } from '../oauth/types.js';
import type { AuthContext } from './context.js';

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
