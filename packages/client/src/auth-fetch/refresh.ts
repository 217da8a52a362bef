import { ClientError } from '../errors.js';
import { resolveClientIdentity } from '../oauth/registration.js';
import { tokenRequest } from '../oauth/token.js';
import type { ClientIdentity, TokenSet } from '../oauth/types.js';
import { identityInput } from './identity-input.js';
import type { AuthContext } from './context.js';
import { resourceParameter } from './context.js';
import { dpopSigner } from './dpop-use.js';
import type { Session } from './session-types.js';

/**
 * The refresh token grant. Resolves with the new tokens (the old refresh token kept when
 * no new one is issued), or `undefined` when there is nothing to refresh or it failed.
 * Only an OAuth error from the server drops what the store holds: an outage keeps it.
 *
 * @see RFC 6749 §6, §5.2
 */
export async function refreshTokens(
  ctx: AuthContext,
  session: Session,
  tokens: TokenSet,
  stored: ClientIdentity | undefined,
): Promise<TokenSet | undefined> {
  const d = session.discovery;
  const key = session.key;
  if (!d || !key || !tokens.refreshToken) return undefined;
  const client = await resolveClientIdentity(identityInput(ctx, d, stored));
  try {
    const next = await tokenRequest(
      {
        issuer: d.issuer,
        metadata: d.authorizationServerMetadata,
        client,
        policy: ctx.options,
        // A DPoP-bound refresh token is used with its own key (RFC 9449 §5).
        dpop: await dpopSigner(ctx, d, tokens),
      },
      {
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken,
        resource: resourceParameter(ctx, d),
      },
      tokens.scopes,
    );
    // RFC 6749 §6: the old refresh token stays valid when no new one is issued.
    const kept = next.refreshToken ? next : { ...next, refreshToken: tokens.refreshToken };
    await ctx.store.set(key, { client: stored, tokens: kept });
    return kept;
  } catch (error) {
    const oauthError = error instanceof ClientError ? error.oauthError : undefined;
    if (oauthError === 'invalid_client') {
      // RFC 6749 §5.2: the client is unknown now; drop the registration only.
      await ctx.store.set(key, { tokens, client: undefined });
    } else if (oauthError !== undefined) {
      // The authorization server refused the grant (invalid_grant, ...): the tokens are dead.
      await ctx.store.set(key, { client: stored, tokens: undefined });
    }
    // Anything else (an outage, a timeout) says nothing about the refresh token: keep it.
    return undefined;
  }
}
