import type { Check } from '../types.js';
import { warn } from './check.js';

/** An identity provider recognized from its issuer and metadata. */
export interface IdentityProvider {
  readonly id: 'entra' | 'auth0' | 'okta' | 'keycloak' | 'cognito' | 'google' | 'github' | 'workos';
  readonly name: string;
  /** The page with the set-up and the profile. */
  readonly docs: string;
}

const DOCS = 'docs/identity-providers';

function hostOf(url: string): { host: string; path: string } | undefined {
  try {
    const u = new URL(url);
    return { host: u.hostname.toLowerCase(), path: u.pathname.replace(/\/+$/, '') };
  } catch {
    return undefined;
  }
}

const idp = (id: IdentityProvider['id'], name: string): IdentityProvider => ({
  id,
  name,
  docs: `${DOCS}/${id}.md`,
});

/**
 * Recognizes the identity providers prmkit has profiles for, from the issuer (host and path
 * patterns) and, for self-hosted Keycloak, the endpoint layout of its metadata.
 *
 * @example
 * ```ts
 * recognizeIdentityProvider('https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0', {})?.id; // 'entra'
 * ```
 */
export function recognizeIdentityProvider(
  issuer: string,
  document: Readonly<Record<string, unknown>>,
): IdentityProvider | undefined {
  const at = hostOf(issuer);
  if (!at) return undefined;
  const { host, path } = at;
  if (
    host === 'login.microsoftonline.com' ||
    host === 'sts.windows.net' ||
    issuer.includes('{tenantid}')
  )
    return idp('entra', 'Microsoft Entra ID');
  if (/^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/.test(host))
    return idp('cognito', 'Amazon Cognito');
  if (host === 'accounts.google.com') return idp('google', 'Google');
  if (host === 'github.com' || host.endsWith('.github.com')) return idp('github', 'GitHub');
  if (host.endsWith('.authkit.app')) return idp('workos', 'WorkOS AuthKit');
  if (/\.(okta|oktapreview|okta-emea)\.com$/.test(host)) return idp('okta', 'Okta');
  if (host.endsWith('.auth0.com')) return idp('auth0', 'Auth0');
  const endpoint = document['token_endpoint'];
  if (
    /\/realms\/[^/]+$/.test(path) &&
    (typeof endpoint !== 'string' || endpoint.includes('/protocol/openid-connect/'))
  )
    return idp('keycloak', 'Keycloak');
  return undefined;
}

const CLIENT_SPEC = 'MCP 2025-11-25 authorization (client registration); RFC 7591 §3';

/**
 * The known pitfalls of a recognized identity provider, each a WARN line with its fix.
 *
 * @example
 * ```ts
 * identityProviderChecks('https://example.okta.com', {}).map((c) => c.id); // ['identity_provider.okta_org_server', ...]
 * ```
 * @see RFC 8707 §2, RFC 9068 §2.2
 */
export function identityProviderChecks(
  issuer: string,
  document: Readonly<Record<string, unknown>>,
): Check[] {
  const found = recognizeIdentityProvider(issuer, document);
  if (!found) return [];
  const checks: Check[] = [];
  const see = `(see ${found.docs})`;
  const canRegister =
    document['registration_endpoint'] !== undefined ||
    document['client_id_metadata_document_supported'] === true;
  const id = (what: string): string => `identity_provider.${found.id}_${what}`;

  switch (found.id) {
    case 'entra':
      checks.push(
        warn(
          id('resource'),
          'Microsoft Entra ID refuses the RFC 8707 resource parameter with v2 scopes (AADSTS9010010) and wants ' +
            "resource-qualified scopes; fix: @prmkit/client compatibility { omitResourceParameter: 'entra-aadsts9010010', " +
            "scopeForm: { kind: 'entra-resource-qualified', applicationIdUri } } " +
            see,
          'RFC 8707 §2',
        ),
        warn(
          id('audience'),
          'Entra access tokens carry the application id (or api://...) in aud, not the resource URL; fix: ' +
            'profiles.entra({ tenants, applicationId }) on the server ' +
            see,
          'RFC 9068 §4; RFC 8707 §2',
        ),
      );
      if (issuer.includes('{tenantid}') || String(document['issuer'] ?? '').includes('{tenantid}'))
        checks.push(
          warn(
            id('tenant_template'),
            'the issuer is the multi-tenant template {tenantid}: strict clients refuse it and servers must check tid; fix: ' +
              "use the tenant's own issuer, or profiles.entra({ tenants: [...] | 'any-tenant' }) " +
              see,
            'RFC 8414 §3.3',
          ),
        );
      break;
    case 'keycloak':
      checks.push(
        warn(
          id('audience_mapper'),
          'Keycloak puts this resource in aud only through an audience mapper; fix: add a client scope with an ' +
            'Audience mapper (Included Custom Audience = the resource URL), then profiles.keycloak({ issuer }) ' +
            see,
          'RFC 8707 §2; RFC 9068 §4',
        ),
      );
      break;
    case 'okta':
      if (!/\/oauth2\/[^/]+$/.test(hostOf(issuer)?.path ?? '')) {
        checks.push(
          warn(
            id('org_server'),
            "this is Okta's org authorization server: its access tokens are for Okta's own APIs and cannot be " +
              'validated by a resource; fix: create a custom authorization server and list https://<okta-domain>/oauth2/<id> ' +
              see,
            'RFC 9068 §4',
          ),
        );
      } else {
        checks.push(
          warn(
            id('claims'),
            'Okta access tokens name the client in cid and scopes in an scp array; fix: profiles.okta({ issuer, audience }) ' +
              see,
            'RFC 9068 §2.2',
          ),
        );
      }
      break;
    case 'cognito':
      checks.push(
        warn(
          id('audience'),
          'Cognito access tokens carry no aud; fix: profiles.cognito({ userPoolId, clientIds }) binds them by client_id and token_use ' +
            see,
          'RFC 9068 §2.2; RFC 8707 §2',
        ),
      );
      break;
    case 'google':
    case 'github':
      checks.push(
        warn(
          id('opaque_tokens'),
          `${found.name} access tokens are opaque and name no resource; fix: profiles.${found.id}(...) validates them ` +
            `through ${found.id === 'google' ? 'the token-info endpoint' : 'the user API (with an explicit acknowledgement)'} ${see}`,
          'RFC 8707 §2',
        ),
      );
      break;
    case 'auth0':
      checks.push(
        warn(
          id('audience'),
          'Auth0 puts the API Identifier in aud; fix: make the Identifier the resource URL, and profiles.auth0({ domain, audience }) ' +
            see,
          'RFC 8707 §2',
        ),
      );
      break;
    case 'workos':
      checks.push(
        warn(
          id('resource_indicator'),
          'AuthKit puts the resource in aud only when it is registered as an MCP resource indicator; fix: add the ' +
            'resource URL byte for byte under Connect → Configuration ' +
            see,
          'RFC 8707 §2',
        ),
      );
      break;
  }
  if (!canRegister) {
    checks.push(
      warn(
        id('client_registration'),
        `${found.name} offers no dynamic registration and no client ID metadata documents: clients need a pre-registered ` +
          `client id; fix: register one in the ${found.name} console and pass it per issuer (@prmkit/client compatibility ` +
          `[{ issuer, client: { clientId } }])`,
        CLIENT_SPEC,
      ),
    );
  }
  return checks;
}
