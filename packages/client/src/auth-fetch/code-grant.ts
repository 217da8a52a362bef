import type { DiscoveryResult } from '../discover-types.js';
import { ClientError } from '../errors.js';
import { createAuthorizationRequest, parseAuthorizationResponse } from '../oauth/authorization.js';
import { tokenRequest } from '../oauth/token.js';
import type { TokenEndpointContext } from '../oauth/token.js';
import type { TokenSet } from '../oauth/types.js';
import type { AuthContext } from './context.js';
import { resourceParameter } from './context.js';

/** Thrown when the code grant is chosen but nobody can approve: no redirect URI or opener. */
export function interactionRequired(d: DiscoveryResult): ClientError {
  return new ClientError(
    'interaction_required',
    `authorization at ${d.issuer} needs a user: set redirectUri and openAuthorizationUrl (or use grant: 'client_credentials')`,
  );
}

/**
 * The authorization code grant with PKCE: builds the authorization request, lets
 * `openAuthorizationUrl` take the user there and back, checks the response (state, RFC 9207
 * `iss`) and redeems the code.
 *
 * @see OAuth 2.1 §4.1, RFC 7636, RFC 9207, RFC 8707 §2
 */
export async function authorizationCodeGrant(
  ctx: AuthContext,
  d: DiscoveryResult,
  endpoint: TokenEndpointContext,
  scopes: readonly string[] | undefined,
): Promise<TokenSet> {
  const { redirectUri, openAuthorizationUrl } = ctx.options;
  if (!redirectUri || !openAuthorizationUrl) throw interactionRequired(d);
  const request = await createAuthorizationRequest({
    metadata: d.authorizationServerMetadata,
    clientId: endpoint.client.clientId,
    redirectUri,
    scopes,
    resource: resourceParameter(ctx, d),
    pkce: ctx.options.pkce,
    allowHttp: ctx.options.allowHttp,
    allowPrivateNetwork: ctx.options.allowPrivateNetwork,
  });
  const callback = await openAuthorizationUrl(request.url);
  const { code } = parseAuthorizationResponse(callback, {
    state: request.state,
    issuer: d.issuer,
    metadata: d.authorizationServerMetadata,
  });
  return tokenRequest(
    endpoint,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: request.redirectUri,
      code_verifier: request.codeVerifier,
      resource: resourceParameter(ctx, d),
    },
    scopes,
  );
}
