import { TokenError, UpstreamError } from '../model/errors.js';
import { validateAccessTokenClaims } from '../verify/token/claims.js';
import type { AuthInfo, TokenVerifier, VerifyContext } from '../model/types.js';
import {
  endpointOption,
  lookUpToken,
  type OpaqueTokenEndpointOptions,
} from './opaque-token-endpoint.js';
import { ProfileIssues, type ProfileFragment, requireOptions } from './profile-fragment.js';

/** Options of {@link google}. */
export interface GoogleProfileOptions extends OpaqueTokenEndpointOptions {
  /**
   * OAuth client ids (`<n>-<id>.apps.googleusercontent.com`) whose tokens are accepted.
   * Google access tokens are opaque and name no resource: `aud`/`azp` of the token-info
   * answer must be one of these, which is the only binding there is.
   */
  readonly clientIds: readonly string[];
  /** Seconds a validated token is reused before Google is asked again. Default 60. */
  readonly recheckAfter?: number;
}

/** The issuer advertised for Google and reported in `AuthInfo.issuer`. */
export const GOOGLE_ISSUER = 'https://accounts.google.com';
const TOKEN_INFO = 'https://oauth2.googleapis.com/tokeninfo';

function seconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,12}$/.test(value)) return Number(value);
  return undefined;
}

/**
 * Google. Access tokens are opaque: each is looked up at the token-info endpoint (the
 * token in a POST body, never in a URL), whose answer must name one of `clientIds` in both
 * `aud` and `azp`, carry `sub` (request the `openid` scope) and not be expired. The answer has
 * no `iat`, so that claim is not required. Lookups are cached for `recheckAfter` seconds.
 *
 * @example
 * ```ts
 * import { createResourceServer, profiles } from '@prmkit/core';
 * const server = createResourceServer({
 *   resource: 'https://mcp.example.com/mcp',
 *   ...profiles.google({ clientIds: ['123-abc.apps.googleusercontent.com'] }),
 * });
 * ```
 * @see https://developers.google.com/identity/protocols/oauth2/openid-connect (token-info)
 * @see RFC 6750 §3.1
 */
export function google(options: GoogleProfileOptions): ProfileFragment {
  requireOptions('google', options);
  const issues = new ProfileIssues('google');
  const clientIds = Array.isArray(options.clientIds)
    ? [...(options.clientIds as readonly unknown[])]
    : [];
  if (clientIds.length === 0)
    issues.add('clientIds', 'list the OAuth client ids whose tokens are accepted');
  clientIds.forEach((c, i) => issues.string(`clientIds.${i}`, c));
  const recheckAfter = options.recheckAfter ?? 60;
  if (!(typeof recheckAfter === 'number' && recheckAfter >= 0 && recheckAfter <= 3600))
    issues.add('recheckAfter', 'must be between 0 and 3600 seconds');
  const endpoint = endpointOption(issues, options, TOKEN_INFO);
  issues.throwIfAny();
  const accepted = clientIds as string[];

  const verifier: TokenVerifier = {
    async verify(token: string, context?: VerifyContext): Promise<AuthInfo> {
      const { body } = await lookUpToken('Google token-info endpoint', options, endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ access_token: token }).toString(),
        ...(context?.signal && { signal: context.signal }),
      });
      const exp = seconds(body.exp);
      if (exp === undefined)
        throw new UpstreamError(
          'verifier_failed',
          'the Google token-info answer has no usable "exp"',
        );
      const aud = body.aud;
      if (typeof aud !== 'string' || !accepted.includes(aud)) {
        throw new TokenError(
          'audience_mismatch',
          'the token was issued to an OAuth client this resource does not accept (profile google)',
        );
      }
      return validateAccessTokenClaims({ ...body, iss: GOOGLE_ISSUER, exp }, token, {
        resource: aud,
        issuers: [GOOGLE_ISSUER],
        clockTolerance: 0,
        scopeClaims: ['scope'],
        profile: {
          name: 'google',
          clientIdClaims: ['azp'],
          notIssued: ['iat'],
          allowedClientIds: accepted,
        },
      });
    },
  };
  return {
    authorizationServers: [GOOGLE_ISSUER],
    verifier,
    tokenCache: { maxAge: recheckAfter },
  };
}
