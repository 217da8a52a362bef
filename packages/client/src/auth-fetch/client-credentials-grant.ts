import type { DiscoveryResult } from '../discover-types.js';
import { tokenRequest } from '../oauth/token.js';
import type { TokenEndpointContext } from '../oauth/token.js';
import type { TokenSet } from '../oauth/types.js';
import type { AuthContext } from './context.js';
import { resourceParameter } from './context.js';

/**
 * The client credentials grant (machine to machine, no user).
 *
 * @see RFC 6749 §4.4, RFC 8707 §2
 */
export async function clientCredentialsGrant(
  ctx: AuthContext,
  d: DiscoveryResult,
  endpoint: TokenEndpointContext,
  scopes: readonly string[] | undefined,
): Promise<TokenSet> {
  return tokenRequest(
    endpoint,
    {
      grant_type: 'client_credentials',
      scope: scopes && scopes.length > 0 ? scopes.join(' ') : undefined,
      resource: resourceParameter(ctx, d),
    },
    scopes,
  );
}
