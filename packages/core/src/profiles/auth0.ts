import {
  ProfileIssues,
  requireOptions,
  type ProfileFragment,
  spaceDelimited,
  stringArray,
} from './profile-fragment.js';

/** Options of {@link auth0}. */
export interface Auth0ProfileOptions {
  /** The tenant domain (`example.us.auth0.com`) or the custom domain tokens are issued on. */
  readonly domain: string;
  /**
   * The API Identifier (Applications → APIs). Best set to the resource URL itself; when it
   * is something else it becomes an `audienceAliases` entry.
   */
  readonly audience: string;
  /**
   * The API's "JSON Web Token (JWT) Profile": `'rfc9068'` (header `typ: at+jwt`,
   * `client_id`; the default) or `'auth0'` (header `typ: JWT`, client id in `azp`).
   */
  readonly tokenProfile?: 'rfc9068' | 'auth0';
  /**
   * Where granted scopes come from: `'scope'` (default) or `'permissions'`, the RBAC
   * claim written when the API has "Add Permissions in the Access Token" on.
   */
  readonly scopesFrom?: 'scope' | 'permissions';
}

/**
 * Auth0. The issuer is `https://<domain>/` (with the slash); `aud` is the API Identifier,
 * an array with the `/userinfo` URL when `openid` was requested too (accepted: the
 * identifier is in it). RFC 9068 profile by default; the Auth0 profile (`typ: JWT`, `azp`)
 * when chosen.
 *
 * @example
 * ```ts
 * import { createResourceServer, profiles } from '@prmkit/core';
 * const server = createResourceServer({
 *   resource: 'https://mcp.example.com/mcp',
 *   ...profiles.auth0({ domain: 'example.us.auth0.com', audience: 'https://mcp.example.com/mcp' }),
 * });
 * ```
 * @see https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles
 * @see RFC 9068 §2
 */
export function auth0(options: Auth0ProfileOptions): ProfileFragment {
  requireOptions('auth0', options);
  const issues = new ProfileIssues('auth0');
  issues.host('domain', options.domain);
  issues.string('audience', options.audience);
  const tokenProfile = options.tokenProfile ?? 'rfc9068';
  if (tokenProfile !== 'rfc9068' && tokenProfile !== 'auth0')
    issues.add('tokenProfile', "must be 'rfc9068' or 'auth0'");
  const scopesFrom = options.scopesFrom ?? 'scope';
  if (scopesFrom !== 'scope' && scopesFrom !== 'permissions')
    issues.add('scopesFrom', "must be 'scope' or 'permissions'");
  issues.throwIfAny();
  return {
    authorizationServers: [`https://${options.domain}/`],
    jwt: {
      jwksUri: `https://${options.domain}/.well-known/jwks.json`,
      algorithms: ['RS256', 'PS256'],
      acceptedTypes: tokenProfile === 'rfc9068' ? ['at+jwt'] : ['JWT'],
    },
    audienceAliases: [options.audience],
    profile: {
      name: 'auth0',
      clientIdClaims: tokenProfile === 'rfc9068' ? ['client_id'] : ['azp'],
      readScopes: (claims) =>
        scopesFrom === 'permissions'
          ? stringArray(claims.permissions)
          : spaceDelimited(claims.scope),
    },
  };
}
