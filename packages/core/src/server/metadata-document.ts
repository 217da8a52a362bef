import type { ProtectedResourceMetadata } from '../model/metadata.js';
import type { ResolvedConfig } from './config.js';

/**
 * Builds the metadata document: camelCase config to snake_case members, empty members
 * omitted.
 */
export function buildMetadata(config: ResolvedConfig): ProtectedResourceMetadata {
  const c = config.metadataMembers;
  const doc: Record<string, unknown> = {
    resource: config.resource,
    authorization_servers: [...config.authorizationServers],
    jwks_uri: c.jwksUri,
    scopes_supported: [...config.scopesSupported],
    bearer_methods_supported: [...config.bearerMethods],
    resource_signing_alg_values_supported: c.resourceSigningAlgValuesSupported,
    resource_name: c.resourceName,
    resource_documentation: c.resourceDocumentation,
    resource_policy_uri: c.resourcePolicyUri,
    resource_tos_uri: c.resourceTosUri,
    tls_client_certificate_bound_access_tokens: c.tlsClientCertificateBoundAccessTokens,
    authorization_details_types_supported: c.authorizationDetailsTypesSupported,
    dpop_signing_alg_values_supported: c.dpopSigningAlgValuesSupported,
    dpop_bound_access_tokens_required: c.dpopBoundAccessTokensRequired,
    ...c.extraMetadata,
  };
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete doc[key];
  }
  return Object.freeze(doc) as ProtectedResourceMetadata;
}
