import type { ClientCertificate } from '../model/client-certificate.js';
import { decodeSha256Hex } from '../verify/mtls/der.js';

/** The part of a Node `TLSSocket` read here (duck-typed: no `node:tls` import). */
interface TlsSocketLike {
  readonly encrypted?: boolean;
  getPeerCertificate?(detailed?: boolean): { readonly raw?: Uint8Array } | null | undefined;
}

/**
 * A reader of the client certificate of a Node connection, for `GuardRequest.peerCertificate`:
 * the DER of the leaf the client presented on a TLS socket (`getPeerCertificate(false).raw`),
 * `undefined` on plain HTTP or when it sent none. Called only when mTLS is on.
 *
 * @example
 * ```ts
 * guardRequest(rs, { method, url, headers, peerCertificate: nodePeerCertificate(req.socket) }, requirement);
 * ```
 * @see RFC 8705 §3
 */
export function nodePeerCertificate(socket: unknown): () => ClientCertificate | undefined {
  return () => {
    const s = socket as TlsSocketLike | null | undefined;
    if (s?.encrypted !== true || typeof s.getPeerCertificate !== 'function') return undefined;
    const raw = s.getPeerCertificate(false)?.raw;
    return raw instanceof Uint8Array && raw.byteLength > 0 ? { der: raw } : undefined;
  };
}

/**
 * The client certificate Cloudflare's edge saw (`request.cf.tlsClientAuth`, Workers): its
 * SHA-256 fingerprint when `certPresented` is `"1"`. Unverified certificates count (RFC 8705
 * §2.2 allows self-signed ones); the binding check is what matters.
 *
 * @example
 * ```ts
 * peerCertificate: () => cloudflarePeerCertificate((c.req.raw as { cf?: unknown }).cf)
 * ```
 * @see https://developers.cloudflare.com/ssl/client-certificates/client-certificate-variables
 */
export function cloudflarePeerCertificate(cf: unknown): ClientCertificate | undefined {
  const auth = (cf as { tlsClientAuth?: unknown } | null | undefined)?.tlsClientAuth as
    { certPresented?: unknown; certFingerprintSHA256?: unknown } | null | undefined;
  if (auth?.certPresented !== '1' || typeof auth.certFingerprintSHA256 !== 'string') {
    return undefined;
  }
  const sha256 = decodeSha256Hex(auth.certFingerprintSHA256);
  // Presented but unreadable: an empty digest fails the check closed (mtls_certificate_invalid).
  return { sha256: sha256 ?? new Uint8Array(0) };
}
