import { TokenError } from '../../model/errors.js';
import type { ClientCertificate } from '../../model/client-certificate.js';
import { checkCertificateDer, decodeBase64, decodeSha256Hex, pemCertificateToDer } from './der.js';
import { type CertificateHeaderFormat, MAX_CERTIFICATE_HEADER_LENGTH } from './mtls-options.js';

const invalid = (why: string) =>
  new TokenError('mtls_certificate_invalid', `the client certificate header is not valid: ${why}`);

/** RFC 9440 §2.1: `Client-Cert` is an sf-binary, `:` base64 of the DER `:`. */
function rfc9440(value: string): ClientCertificate {
  const match = /^:([A-Za-z0-9+/]*={0,2}):$/.exec(value.trim());
  if (!match) throw invalid('not an RFC 9440 byte sequence (:base64 DER:)');
  const der = decodeBase64(match[1] as string);
  if (der === undefined) throw invalid('bad base64');
  return { der: checkCertificateDer(der) };
}

/** nginx `$ssl_client_escaped_cert`, AWS ALB `...-Leaf`: the URL-encoded PEM. */
function urlEncodedPem(value: string): ClientCertificate {
  let pem: string;
  try {
    pem = decodeURIComponent(value.trim());
  } catch {
    throw invalid('bad percent-encoding');
  }
  return { der: pemCertificateToDer(pem) };
}

/**
 * Splits on `separator` outside double quotes (XFCC quotes values holding `,`, `;`, `=`);
 * a backslash escapes the next character inside quotes.
 */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) throw invalid('unterminated quoted value');
  parts.push(text.slice(start));
  return parts;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

/**
 * Envoy `x-forwarded-client-cert`: the rightmost element is the one the proxy next to this
 * server added (each hop appends). `Cert` (URL-encoded PEM) gives the DER; otherwise `Hash`
 * (hex SHA-256 of the DER) is the digest. When both are there they must agree, which is
 * checked where the thumbprint is computed.
 */
function envoyXfcc(value: string): ClientCertificate {
  const elements = splitOutsideQuotes(value, ',');
  const element = (elements[elements.length - 1] as string).trim();
  const pairs = new Map<string, string>();
  for (const pair of splitOutsideQuotes(element, ';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw invalid('an XFCC element is not key=value pairs');
    const key = pair.slice(0, eq).trim().toLowerCase();
    if (pairs.has(key)) throw invalid(`"${key}" appears twice in the XFCC element`);
    pairs.set(key, unquote(pair.slice(eq + 1).trim()));
  }
  const cert = pairs.get('cert');
  const hash = pairs.get('hash');
  const sha256 = hash === undefined ? undefined : decodeSha256Hex(hash);
  if (hash !== undefined && sha256 === undefined) throw invalid('Hash is not a hex SHA-256');
  if (cert !== undefined) {
    const der = urlEncodedPem(cert).der as Uint8Array;
    return sha256 ? { der, sha256 } : { der };
  }
  if (sha256 === undefined) throw invalid('the XFCC element has neither Cert nor Hash');
  return { sha256 };
}

const DECODERS: Readonly<Record<CertificateHeaderFormat, (value: string) => ClientCertificate>> = {
  rfc9440,
  nginx: urlEncodedPem,
  'envoy-xfcc': envoyXfcc,
  'aws-alb': urlEncodedPem,
};

/**
 * Decodes a client certificate header value in `format` (see
 * {@link CertificateHeaderFormat}). Throws `mtls_certificate_invalid` on anything else:
 * oversized, bad encoding, the wrong format (a PEM in an RFC 9440 field), not one DER
 * SEQUENCE. Never returns a certificate it could not read.
 *
 * @example
 * ```ts
 * decodeCertificateHeader('rfc9440', ':MIIB...:'); // { der: Uint8Array }
 * ```
 * @see RFC 9440 §2, RFC 8705 §3.1
 */
export function decodeCertificateHeader(
  format: CertificateHeaderFormat,
  value: string,
): ClientCertificate {
  if (value.length > MAX_CERTIFICATE_HEADER_LENGTH) throw invalid('too large');
  return DECODERS[format](value);
}
