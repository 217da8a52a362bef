/** The RFC 9728 §2 document: one type, the core's (`@prmkit/core`). */
export type { ProtectedResourceMetadata } from '@prmkit/core';

/**
 * RFC 8414 §2 authorization server metadata (and the OpenID Connect Discovery members the
 * client reads). Unknown members are kept.
 *
 * @see RFC 8414 §2, RFC 9207 §3, CIMD draft
 */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly authorization_endpoint?: string;
  readonly token_endpoint?: string;
  readonly registration_endpoint?: string;
  readonly scopes_supported?: readonly string[];
  readonly response_types_supported?: readonly string[];
  readonly grant_types_supported?: readonly string[];
  readonly code_challenge_methods_supported?: readonly string[];
  readonly token_endpoint_auth_methods_supported?: readonly string[];
  /** RFC 8705 §5: endpoints to use when the client presents a TLS client certificate. */
  readonly mtls_endpoint_aliases?: Readonly<Record<string, unknown>>;
  /** RFC 8705 §3.3: the AS issues certificate-bound access tokens. */
  readonly tls_client_certificate_bound_access_tokens?: boolean;
  readonly token_endpoint_auth_signing_alg_values_supported?: readonly string[];
  readonly authorization_response_iss_parameter_supported?: boolean;
  readonly client_id_metadata_document_supported?: boolean;
  readonly [member: string]: unknown;
}
