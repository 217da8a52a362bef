import { TokenError } from '../model/errors.js';
import { ProfileIssues, type ProfileFragment, requireOptions } from './profile-fragment.js';

/** Options of {@link cognito}. */
export interface CognitoProfileOptions {
  /** The user pool id, `<region>_<id>` (for example `us-east-1_AbCdEf123`). */
  readonly userPoolId: string;
  /**
   * App clients whose access tokens are accepted. Cognito access tokens carry no `aud`, so
   * this allow-list is what binds a token to this resource.
   */
  readonly clientIds: readonly string[];
}

/**
 * Amazon Cognito user pools. Access tokens have no `aud` and no `typ` header; they are bound
 * through `client_id` (against `clientIds`) and must say `token_use: access` (ID tokens say
 * `id`, refused). Keys come from `<issuer>/.well-known/jwks.json`.
 *
 * @example
 * ```ts
 * import { createResourceServer, profiles } from '@prmkit/core';
 * const server = createResourceServer({
 *   resource: 'https://mcp.example.com/mcp',
 *   ...profiles.cognito({ userPoolId: 'us-east-1_AbCdEf123', clientIds: ['1example23456789'] }),
 * });
 * ```
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 * @see RFC 9068 §2.2
 */
export function cognito(options: CognitoProfileOptions): ProfileFragment {
  requireOptions('cognito', options);
  const issues = new ProfileIssues('cognito');
  const match = /^([a-z]{2}(-gov)?-[a-z]+-\d)_[A-Za-z0-9]+$/.exec(String(options.userPoolId));
  if (!match)
    issues.add(
      'userPoolId',
      'must be a user pool id, <region>_<id> (for example us-east-1_AbCdEf123)',
    );
  const clientIds = Array.isArray(options.clientIds)
    ? (options.clientIds as readonly unknown[])
    : [];
  if (clientIds.length === 0)
    issues.add(
      'clientIds',
      'list the app clients whose tokens are accepted: Cognito tokens have no "aud"',
    );
  clientIds.forEach((c, i) => issues.string(`clientIds.${i}`, c));
  issues.throwIfAny();
  const issuer = `https://cognito-idp.${match![1]!}.amazonaws.com/${options.userPoolId}`;
  return {
    authorizationServers: [issuer],
    jwt: {
      jwksUri: `${issuer}/.well-known/jwks.json`,
      algorithms: ['RS256'],
      acceptedTypes: ['JWT'],
    },
    profile: {
      name: 'cognito',
      audienceBinding: 'client_id',
      allowedClientIds: options.clientIds,
      checkClaims: (claims) => {
        if (claims.token_use !== 'access') {
          throw new TokenError(
            'claim_invalid',
            `the token is a Cognito ${typeof claims.token_use === 'string' ? JSON.stringify(claims.token_use) : 'untyped'} token; only "token_use": "access" is accepted (profile cognito)`,
          );
        }
      },
    },
  };
}
