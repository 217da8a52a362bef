import type { DiscoveryResult } from '../discover-types.js';
import { ClientError } from '../errors.js';
import { resolveClientIdentity } from '../oauth/registration.js';
import type { TokenSet } from '../oauth/types.js';
import { identityInput } from './identity-input.js';
import { clientCredentialsGrant } from './client-credentials-grant.js';
import { authorizationCodeGrant, interactionRequired } from './code-grant.js';
import type { AuthContext } from './context.js';
import { dpopSigner } from './dpop-use.js';
import type { Session } from './session-types.js';

/**
 * A full authorization with the configured grant; each one counts against
 * `maxAuthorizations` (`step_up_limit` beyond). A dynamically registered client is kept in
 * the store; `invalid_client` drops it and what discovery knew about the server.
 */
export async function authorizeFully(
  ctx: AuthContext,
  session: Session,
  d: DiscoveryResult,
  scopes: readonly string[] | undefined,
): Promise<TokenSet> {
  if (session.attempts >= ctx.maxAuthorizations) {
    throw new ClientError(
      'step_up_limit',
      `gave up after ${ctx.maxAuthorizations} authorization attempts for ${d.resource}`,
    );
  }
  session.attempts += 1;
  const codeGrant = ctx.grant === 'authorization_code';
  if (codeGrant && (!ctx.options.redirectUri || !ctx.options.openAuthorizationUrl))
    throw interactionRequired(d);
  const key = { resource: d.resource, issuer: d.issuer };
  const stored = await ctx.store.get(key);
  const client = await resolveClientIdentity(identityInput(ctx, d, stored?.client));
  const keepClient = client.source === 'dynamic-registration' ? client : undefined;
  if (keepClient) await ctx.store.set(key, { client: keepClient, tokens: stored?.tokens });
  session.requested = scopes;
  const endpoint = {
    issuer: d.issuer,
    metadata: d.authorizationServerMetadata,
    client,
    policy: ctx.options,
    dpop: await dpopSigner(ctx, d, stored?.tokens),
  };
  let tokens: TokenSet;
  try {
    const asked = ctx.compatibility.scopes(d.issuer, scopes);
    tokens = codeGrant
      ? await authorizationCodeGrant(ctx, d, endpoint, withOfflineAccess(ctx, asked, d))
      : await clientCredentialsGrant(ctx, d, endpoint, asked);
  } catch (error) {
    if (error instanceof ClientError && error.oauthError === 'invalid_client') {
      // Drop the registration only; discovery results go too (rule: invalid_client).
      await ctx.store.set(key, { client: undefined, tokens: undefined });
      ctx.cache.invalidate(d.resource, d.issuer);
    }
    throw error;
  }
  await ctx.store.set(key, { client: keepClient, tokens });
  return tokens;
}

/** `scopes` plus `offline_access` when the AS advertises it (code grant only). */
function withOfflineAccess(
  ctx: AuthContext,
  scopes: readonly string[] | undefined,
  d: DiscoveryResult,
): readonly string[] | undefined {
  if ((ctx.options.offlineAccess ?? 'if-advertised') === 'never') return scopes;
  const advertised = d.authorizationServerMetadata.scopes_supported;
  if (!Array.isArray(advertised) || !advertised.includes('offline_access')) return scopes;
  if (scopes?.includes('offline_access')) return scopes;
  return [...(scopes ?? []), 'offline_access'];
}
