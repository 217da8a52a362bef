import { ProfileIssues, type ProfileFragment, requireOptions } from './profile-fragment.js';

/** Options of {@link okta}. */
export interface OktaProfileOptions {
  /**
   * The issuer of a custom authorization server: `https://<okta-domain>/oauth2/<id>` (for
   * example `/oauth2/default`). The org authorization server (`https://<okta-domain>`) is
   * refused: its tokens are meant for Okta's own APIs and cannot be validated locally.
   */
  readonly issuer: string;
  /**
   * The authorization server's Audience setting. Best the resource URL itself; anything else
   * (the default server's `api://default`) becomes an `audienceAliases` entry.
   */
  readonly audience?: string;
}

/**
 * Okta (custom authorization servers). Tokens carry the client id in `cid` and scopes as an
 * `scp` array; the header has no `typ`. Keys come from `<issuer>/v1/keys`.
 *
 * @example
 * ```ts
 * import { createResourceServer, profiles } from '@prmkit/core';
 * const server = createResourceServer({
 *   resource: 'https://mcp.example.com/mcp',
 *   ...profiles.okta({ issuer: 'https://example.okta.com/oauth2/default' }),
 * });
 * ```
 * @see https://developer.okta.com/docs/guides/validate-access-tokens/main/
 * @see RFC 9068 §2.2
 */
export function okta(options: OktaProfileOptions): ProfileFragment {
  requireOptions('okta', options);
  const issues = new ProfileIssues('okta');
  if (issues.httpsUrl('issuer', options.issuer)) {
    const path = new URL(options.issuer).pathname;
    if (!/^\/oauth2\/[A-Za-z0-9_-]+$/.test(path)) {
      issues.add(
        'issuer',
        path === '/' || path === ''
          ? "this is Okta's org authorization server: its access tokens are for Okta's own APIs and " +
              'cannot be validated by a resource (no public keys apply to them). Create a custom ' +
              'authorization server (Security → API → Authorization Servers) and use its issuer, ' +
              'https://<okta-domain>/oauth2/<id>'
          : 'must be a custom authorization server issuer, https://<okta-domain>/oauth2/<id>',
      );
    }
  }
  if (options.audience !== undefined) issues.string('audience', options.audience);
  issues.throwIfAny();
  return {
    authorizationServers: [options.issuer],
    jwt: {
      jwksUri: `${options.issuer}/v1/keys`,
      algorithms: ['RS256'],
      // Okta access tokens have no `typ` header ('JWT' also accepts a missing one).
      acceptedTypes: ['JWT'],
      scopeClaims: ['scp'],
    },
    ...(options.audience !== undefined && { audienceAliases: [options.audience] }),
    profile: { name: 'okta', clientIdClaims: ['cid'] },
  };
}
