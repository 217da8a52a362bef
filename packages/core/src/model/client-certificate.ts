/**
 * A client certificate as its source knows it: the DER bytes (a TLS socket, a PEM or
 * RFC 9440 header), or only its SHA-256 digest (Envoy's XFCC `Hash`, Cloudflare's
 * `certFingerprintSHA256`). Either gives the `x5t#S256` thumbprint (RFC 8705 §3.1); when
 * a source gives both, they must agree.
 *
 * @example
 * ```ts
 * const cert: ClientCertificate = { der: new Uint8Array(tlsSocket.getPeerCertificate().raw) };
 * ```
 * @see RFC 8705 §3.1
 */
export type ClientCertificate =
  | { readonly der: Uint8Array; readonly sha256?: Uint8Array }
  | { readonly der?: undefined; readonly sha256: Uint8Array };

/**
 * The client certificate of the connection, as an adapter hands it over: the value, or a
 * function called only when certificate-bound tokens are on (reading a Node socket's
 * certificate copies it).
 */
export type PeerCertificateSource = ClientCertificate | (() => ClientCertificate | undefined);
