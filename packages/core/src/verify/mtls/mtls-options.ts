/** How a resource server treats certificate-bound access tokens (RFC 8705 §3). */
export type MtlsMode = 'off' | 'allowed' | 'required';

/**
 * The header formats a TLS-terminating proxy passes the client certificate in, one decoder
 * each:
 *
 * - `rfc9440`: `Client-Cert: :<base64 DER>:` (RFC 9440 §2, an sf-binary; Cloudflare rules,
 *   Keycloak's lookup).
 * - `nginx`: `$ssl_client_escaped_cert`, the URL-encoded PEM of the leaf.
 * - `envoy-xfcc`: `x-forwarded-client-cert`; the rightmost element (the one the proxy next
 *   to this server added), its `Cert="<URL-encoded PEM>"`, else its `Hash=<hex SHA-256>`.
 * - `aws-alb`: `X-Amzn-Mtls-Clientcert-Leaf`, the URL-encoded PEM of the leaf (verify mode).
 */
export type CertificateHeaderFormat = 'rfc9440' | 'nginx' | 'envoy-xfcc' | 'aws-alb';

/**
 * The header each format comes in unless `name` says otherwise.
 *
 * @example
 * ```ts
 * DEFAULT_CERTIFICATE_HEADERS.nginx; // 'x-ssl-client-cert'
 * ```
 * @see RFC 9440 §2 (`Client-Cert`)
 */
export const DEFAULT_CERTIFICATE_HEADERS: Readonly<Record<CertificateHeaderFormat, string>> = {
  rfc9440: 'client-cert',
  nginx: 'x-ssl-client-cert',
  'envoy-xfcc': 'x-forwarded-client-cert',
  'aws-alb': 'x-amzn-mtls-clientcert-leaf',
};

/**
 * Certificate-bound access tokens (RFC 8705 §3) at the resource server: a token whose
 * `cnf["x5t#S256"]` names a certificate is accepted only over a connection that presented
 * that certificate.
 *
 * The certificate comes from the TLS connection (the adapter reads the peer certificate),
 * or, behind a TLS-terminating proxy, from the header named by `certificateHeader`, which is
 * believed only when the request comes straight from one of `trustedProxies` (a header from
 * anyone else is ignored: clients can send any header they like).
 *
 * @example
 * ```ts
 * import { createResourceServer } from '@prmkit/core';
 *
 * const rs = createResourceServer({
 *   resource: 'https://api.example.com/mcp',
 *   authorizationServers: ['https://auth.example.com'],
 *   mtls: {
 *     mode: 'required',
 *     certificateHeader: { format: 'nginx', name: 'x-ssl-client-cert' },
 *     trustedProxies: ['10.0.0.0/8'],
 *   },
 * });
 * ```
 * @see RFC 8705 §3 (binding check), §3.1 (`x5t#S256`), §6.5 (TLS terminated at a proxy), RFC 9440
 */
export interface MtlsOptions {
  /**
   * `off` (the default): certificate-bound tokens are refused. `allowed`: bound tokens are
   * checked against the client certificate, unbound tokens still accepted. `required`:
   * only bound tokens (an unbound one is refused with `mtls_token_not_bound`). Either of
   * the last two advertises `tls_client_certificate_bound_access_tokens: true`.
   */
  readonly mode: MtlsMode;
  /** Read the certificate from this proxy header (needs `trustedProxies`). */
  readonly certificateHeader?: {
    readonly format: CertificateHeaderFormat;
    /** Header name. Default per format (see {@link DEFAULT_CERTIFICATE_HEADERS}). */
    readonly name?: string;
  };
  /**
   * Addresses and CIDR ranges (`10.0.0.7`, `10.0.0.0/8`, `::1`) of the proxies whose
   * certificate header is believed: compared with the connection's peer address, never
   * with `X-Forwarded-For`. Required with `certificateHeader`.
   */
  readonly trustedProxies?: readonly string[];
}

/**
 * Largest certificate header read, characters; a longer one is refused unread
 * (`mtls_certificate_invalid`).
 *
 * @example
 * ```ts
 * MAX_CERTIFICATE_HEADER_LENGTH; // 32768
 * ```
 * @see RFC 9440 §2
 */
export const MAX_CERTIFICATE_HEADER_LENGTH = 32_768;
/**
 * Largest DER certificate accepted, bytes.
 *
 * @example
 * ```ts
 * MAX_CERTIFICATE_BYTES; // 16384
 * ```
 * @see RFC 8705 §3.1
 */
export const MAX_CERTIFICATE_BYTES = 16_384;
