import { TokenError } from '../../model/errors.js';
import type { RequestLike } from '../../model/types.js';
import { headerValues } from '../../util/headers.js';
import type { ClientCertificate } from '../../model/client-certificate.js';
import { checkCertificateDer } from './der.js';
import { decodeCertificateHeader } from './header-formats.js';
import type { CertificateHeaderFormat } from './mtls-options.js';

/** mTLS settings after validation (see `MtlsOptions`). */
export interface ResolvedMtls {
  readonly mode: 'allowed' | 'required';
  /** The proxy header and its format; `undefined`: the TLS connection only. */
  readonly header: { readonly format: CertificateHeaderFormat; readonly name: string } | undefined;
  /** Whether a peer address is one of the trusted proxies. */
  readonly isTrustedProxy: (address: string | undefined) => boolean;
}

/** Where a request's client certificate came from, for telemetry. */
export type CertificateSource = 'tls' | 'header';

/** The client certificate of a request, and where it came from. */
export interface CertificateReading {
  readonly certificate: ClientCertificate;
  readonly source: CertificateSource;
}

/**
 * Finds the client certificate of a request: from the proxy header when the request comes
 * straight from a trusted proxy (its header is the client's certificate; no header: none),
 * otherwise from the TLS connection (`peerCertificate`), never from a header an untrusted
 * peer sent. Returns `undefined` when there is none; throws `mtls_certificate_invalid` when
 * there is one that cannot be read (fail closed: never treated as absent).
 *
 * @see RFC 8705 §3 (the certificate of the TLS connection), §6.5, RFC 9440 §4 (only from a
 * proxy that strips client-sent copies)
 */
export function readClientCertificate(
  mtls: ResolvedMtls,
  req: RequestLike,
): CertificateReading | undefined {
  const { header } = mtls;
  if (header !== undefined && mtls.isTrustedProxy(req.peerAddress)) {
    const values = headerValues(req.headers, header.name);
    // Several lines of a list header (XFCC) are one list; of anything else, an attack or a bug.
    if (values.length > 1 && header.format !== 'envoy-xfcc') {
      throw new TokenError(
        'mtls_certificate_invalid',
        `more than one ${header.name} header was received`,
      );
    }
    const value = values.join(',');
    if (value.trim() === '') return undefined; // nginx sends "" when no certificate came
    return { certificate: decodeCertificateHeader(header.format, value), source: 'header' };
  }
  const peer = req.peerCertificate;
  const certificate = typeof peer === 'function' ? peer() : peer;
  if (certificate === undefined) return undefined;
  if (certificate.der !== undefined) checkCertificateDer(certificate.der);
  return { certificate, source: 'tls' };
}
