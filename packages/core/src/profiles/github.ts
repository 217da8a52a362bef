import { PrmkitConfigError, TokenError, UpstreamError } from '../model/errors.js';
import { validateAccessTokenClaims } from '../verify/token/claims.js';
import type { AuthInfo, TokenVerifier, VerifyContext } from '../model/types.js';
import {
  endpointOption,
  lookUpToken,
  type OpaqueTokenEndpointOptions,
} from './opaque-token-endpoint.js';
import { ProfileIssues, type ProfileFragment, requireOptions } from './profile-fragment.js';

/** Options of {@link github}. */
export interface GithubProfileOptions extends OpaqueTokenEndpointOptions {
  /**
   * Required: GitHub tokens name no audience and no client the resource could check, so a
   * token any GitHub OAuth app obtained for a user is accepted here too. Writing this value
   * states that you accept that risk (and authorize on the user yourself).
   */
  readonly acknowledge: 'tokens-are-not-audience-bound';
  /** Seconds a validated token is reused before GitHub is asked again. Default 60. */
  readonly recheckAfter?: number;
}

/** The issuer advertised for GitHub and reported in `AuthInfo.issuer`. */
export const GITHUB_ISSUER = 'https://github.com/login/oauth';
const USER_API = 'https://api.github.com/user';

/** `github-authentication-token-expiration: 2026-12-31 23:59:59 UTC` (or `+0100`) → seconds. */
function expirationHeader(value: string | null): number | undefined {
  const m = value && /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (UTC|[+-]\d{4})$/.exec(value.trim());
  if (!m) return undefined;
  const zone = m[3] === 'UTC' ? 'Z' : `${m[3]!.slice(0, 3)}:${m[3]!.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/**
 * GitHub. Tokens are opaque and the only check is the user API: a 200 names the user
 * (`sub` = the numeric user id, `login`), `X-OAuth-Scopes` the scopes. No audience, client or
 * issue time exists, so the profile requires `acknowledge`. A token that never expires is
 * treated as valid for `recheckAfter` seconds at a time.
 *
 * @example
 * ```ts
 * import { createResourceServer, profiles } from '@prmkit/core';
 * const server = createResourceServer({
 *   resource: 'https://mcp.example.com/mcp',
 *   ...profiles.github({ acknowledge: 'tokens-are-not-audience-bound' }),
 * });
 * ```
 * @see https://docs.github.com/en/rest/users/users#get-the-authenticated-user
 * @see RFC 6750 §3.1
 */
export function github(options: GithubProfileOptions): ProfileFragment {
  requireOptions('github', options);
  if (options.acknowledge !== 'tokens-are-not-audience-bound') {
    throw new PrmkitConfigError([
      {
        path: 'profiles.github.acknowledge',
        message:
          'GitHub tokens carry no audience: any GitHub OAuth app that obtained a token for a user ' +
          'could call this resource with it. Set acknowledge: "tokens-are-not-audience-bound" to accept that risk',
      },
    ]);
  }
  const issues = new ProfileIssues('github');
  const recheckAfter = options.recheckAfter ?? 60;
  if (!(typeof recheckAfter === 'number' && recheckAfter >= 1 && recheckAfter <= 3600))
    issues.add('recheckAfter', 'must be between 1 and 3600 seconds');
  const endpoint = endpointOption(issues, options, USER_API);
  issues.throwIfAny();

  const verifier: TokenVerifier = {
    async verify(token: string, context?: VerifyContext): Promise<AuthInfo> {
      if (/[\s"\\]/.test(token))
        throw new TokenError('token_malformed', 'the token is not a GitHub token');
      const { body, headers } = await lookUpToken('GitHub user API', options, endpoint, {
        method: 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          'user-agent': 'prmkit',
        },
        ...(context?.signal && { signal: context.signal }),
      });
      if (
        typeof body.id !== 'number' ||
        !Number.isSafeInteger(body.id) ||
        typeof body.login !== 'string'
      ) {
        throw new UpstreamError('verifier_failed', 'the GitHub user API answer has no user id');
      }
      const now = Math.floor(Date.now() / 1000);
      const scopes = (headers.get('x-oauth-scopes') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const claims = {
        iss: GITHUB_ISSUER,
        sub: String(body.id),
        login: body.login,
        scope: scopes.join(' '),
        exp:
          expirationHeader(headers.get('github-authentication-token-expiration')) ??
          now + recheckAfter,
      };
      return validateAccessTokenClaims(claims, token, {
        resource: '',
        issuers: [GITHUB_ISSUER],
        clockTolerance: 0,
        scopeClaims: ['scope'],
        unboundAudience: 'acknowledged',
        profile: { name: 'github', notIssued: ['client_id', 'iat'] },
      });
    },
  };
  return {
    authorizationServers: [GITHUB_ISSUER],
    verifier,
    tokenCache: { maxAge: recheckAfter },
  };
}
