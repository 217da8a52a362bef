import { TokenError } from '../model/errors.js';
import type { TokenProfile } from '../verify/token/claim-profile.js';
import {
  ProfileIssues,
  requireOptions,
  type ProfileFragment,
  spaceDelimited,
  stringArray,
} from './profile-fragment.js';

/** Options of {@link entra}. */
export interface EntraProfileOptions {
  /**
   * Which tenants' tokens are accepted: one directory (tenant) id, a list of them (a
   * multi-tenant app with an allow-list), or `'any-tenant'` (every Entra tenant: anyone
   * with a Microsoft work account can get a token, so authorize on `tid`/`oid` yourself).
   */
  readonly tenants: string | readonly string[] | 'any-tenant';
  /** The Application (client) id of the API's app registration: the `aud` of v2 tokens. */
  readonly applicationId: string;
  /** The Application ID URI (`api://<app-id>` or a verified-domain URL): the `aud` of v1 tokens. */
  readonly applicationIdUri?: string;
  /**
   * The access token version the API's app registration issues (manifest
   * `requestedAccessTokenVersion`, null meaning 1). Default 2. A token of the other version
   * is refused.
   */
  readonly tokenVersion?: 1 | 2;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LOGIN = 'https://login.microsoftonline.com';

function issuerFor(tenant: string, version: 1 | 2): string {
  return version === 2 ? `${LOGIN}/${tenant}/v2.0` : `https://sts.windows.net/${tenant}/`;
}

/**
 * Microsoft Entra ID (Azure AD). Entra cannot put the resource URL in `aud`: v2 tokens carry
 * the API's application id, v1 tokens its Application ID URI; both become
 * `audienceAliases`. Tokens are `typ: JWT`, scopes are `scp` (delegated) or `roles`
 * (app-only), the client id is `azp` (v2) or `appid` (v1), and the issuer names the tenant
 * (`tid`), which must be allowed and must match `iss`. `ver` must be the configured version.
 *
 * @example
 * ```ts
 * import { createResourceServer, profiles } from '@prmkit/core';
 * const server = createResourceServer({
 *   resource: 'https://mcp.example.com/mcp',
 *   ...profiles.entra({
 *     tenants: '72f988bf-86f1-41af-91ab-2d7cd011db47',
 *     applicationId: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
 *   }),
 * });
 * ```
 * @see https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
 * @see RFC 9068 §2.2, RFC 8707 §2
 */
export function entra(options: EntraProfileOptions): ProfileFragment {
  requireOptions('entra', options);
  const issues = new ProfileIssues('entra');
  const version = options.tokenVersion ?? 2;
  if (version !== 1 && version !== 2) issues.add('tokenVersion', 'must be 1 or 2');
  if (!GUID.test(String(options.applicationId)))
    issues.add('applicationId', 'must be the Application (client) id, a lower-case GUID');
  if (options.applicationIdUri !== undefined)
    issues.string('applicationIdUri', options.applicationIdUri);
  if (version === 1 && options.applicationIdUri === undefined)
    issues.add('applicationIdUri', 'v1 tokens carry the Application ID URI in "aud": set it');
  const anyTenant = options.tenants === 'any-tenant';
  const tenants = anyTenant
    ? []
    : typeof options.tenants === 'string'
      ? [options.tenants]
      : Array.isArray(options.tenants)
        ? [...(options.tenants as readonly string[])]
        : [];
  if (!anyTenant) {
    if (tenants.length === 0)
      issues.add('tenants', "list at least one tenant id, or 'any-tenant' for every tenant");
    tenants.forEach((t, i) => {
      if (!GUID.test(String(t)))
        issues.add(
          `tenants.${i}`,
          'must be a directory (tenant) id, a lower-case GUID (domain names never appear in "iss")',
        );
    });
  }
  issues.throwIfAny();

  const allowed = (tid: unknown): tid is string =>
    typeof tid === 'string' && GUID.test(tid) && (anyTenant || tenants.includes(tid));
  const expectedVersion = version === 2 ? '2.0' : '1.0';
  const profile: TokenProfile = {
    name: 'entra',
    clientIdClaims: version === 2 ? ['azp'] : ['appid'],
    // Multi-tenant: each tenant has its own issuer, `{tenantid}` filled from `tid`.
    acceptIssuer: (issuer, claims) =>
      allowed(claims.tid) && issuer === issuerFor(claims.tid, version),
    readScopes: (claims) =>
      // Delegated tokens grant `scp`; app-only tokens (no user) grant application `roles`.
      claims.scp !== undefined ? spaceDelimited(claims.scp) : stringArray(claims.roles),
    checkClaims: (claims) => {
      if (claims.ver !== expectedVersion) {
        throw new TokenError(
          'claim_invalid',
          `the token is an Entra v${claims.ver === '1.0' ? 1 : claims.ver === '2.0' ? 2 : '?'} token; this resource accepts v${version} ` +
            `(set requestedAccessTokenVersion in the app manifest, or tokenVersion) (profile entra)`,
        );
      }
      if (!allowed(claims.tid))
        throw new TokenError(
          'issuer_mismatch',
          'the token tenant ("tid") is not allowed (profile entra)',
        );
      if (claims.iss !== issuerFor(claims.tid, version))
        throw new TokenError(
          'issuer_mismatch',
          'the token issuer does not name its tenant ("tid") (profile entra)',
        );
    },
  };
  return {
    authorizationServers: anyTenant
      ? [`${LOGIN}/organizations/v2.0`]
      : tenants.map((t) => issuerFor(t, version)),
    jwt: {
      jwksUri:
        version === 2 ? `${LOGIN}/common/discovery/v2.0/keys` : `${LOGIN}/common/discovery/keys`,
      algorithms: ['RS256'],
      acceptedTypes: ['JWT'],
    },
    audienceAliases: [
      options.applicationId,
      ...(options.applicationIdUri ? [options.applicationIdUri] : []),
    ],
    profile,
  };
}
