import { TokenError } from '../model/errors.js';
import { ProfileIssues, type ProfileFragment, requireOptions } from './profile-fragment.js';

/** Options of {@link keycloak}. */
export interface KeycloakProfileOptions {
  /** The realm issuer, `https://<host>/realms/<realm>` (or `/auth/realms/<realm>` before v17). */
  readonly issuer: string;
  /**
   * An extra accepted `aud` value when the audience mapper cannot write the resource URL
   * (an "Included Client Audience" writes that client's id). Prefer an "Included Custom
   * Audience" equal to the resource URL and leave this out.
   */
  readonly audience?: string;
}

/**
 * Keycloak. Access tokens have `typ: JWT` in the header and `typ: Bearer` in the payload
 * (ID tokens say `ID`, refused); the client id is `azp`; `aud` only names this resource
 * when a client scope has an audience mapper for it. Keys come from
 * `<issuer>/protocol/openid-connect/certs`.
 *
 * @example
 * ```ts
 * import { createResourceServer, profiles } from '@prmkit/core';
 * const server = createResourceServer({
 *   resource: 'https://mcp.example.com/mcp',
 *   ...profiles.keycloak({ issuer: 'https://sso.example.com/realms/mcp' }),
 * });
 * ```
 * @see https://www.keycloak.org/docs/latest/server_admin/#_audience
 * @see RFC 9068 §2.2
 */
export function keycloak(options: KeycloakProfileOptions): ProfileFragment {
  requireOptions('keycloak', options);
  const issues = new ProfileIssues('keycloak');
  if (issues.httpsUrl('issuer', options.issuer)) {
    if (!/^(\/auth)?\/realms\/[^/]+$/.test(new URL(options.issuer).pathname))
      issues.add('issuer', 'must be a realm issuer, https://<host>/realms/<realm>');
  }
  if (options.audience !== undefined) issues.string('audience', options.audience);
  issues.throwIfAny();
  return {
    authorizationServers: [options.issuer],
    jwt: {
      jwksUri: `${options.issuer}/protocol/openid-connect/certs`,
      acceptedTypes: ['JWT'],
    },
    ...(options.audience !== undefined && { audienceAliases: [options.audience] }),
    profile: {
      name: 'keycloak',
      clientIdClaims: ['azp'],
      checkClaims: (claims) => {
        if (claims.typ !== 'Bearer') {
          throw new TokenError(
            'claim_invalid',
            `the token is a Keycloak ${typeof claims.typ === 'string' ? JSON.stringify(claims.typ) : 'untyped'} token, not an access token ("typ": "Bearer") (profile keycloak)`,
          );
        }
      },
    },
  };
}
