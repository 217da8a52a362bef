import type { ResolvedConfig } from '../server/config.js';

/**
 * The RFC 9728 §2 protected resource metadata document, as sent on the wire.
 * Extension members may appear besides these.
 */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers?: readonly string[];
  readonly jwks_uri?: string;
  readonly scopes_supported?: readonly string[];
  readonly bearer_methods_supported?: readonly string[];
  readonly resource_signing_alg_values_supported?: readonly string[];
  readonly resource_name?: string;
  readonly resource_documentation?: string;
  readonly resource_policy_uri?: string;
  readonly resource_tos_uri?: string;
  readonly tls_client_certificate_bound_access_tokens?: boolean;
  readonly authorization_details_types_supported?: readonly string[];
  readonly dpop_signing_alg_values_supported?: readonly string[];
  readonly dpop_bound_access_tokens_required?: boolean;
  readonly [extension: string]: unknown;
}

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
