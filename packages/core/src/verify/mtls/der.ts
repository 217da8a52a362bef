import { TokenError } from '../../model/errors.js';
import { MAX_CERTIFICATE_BYTES } from './mtls-options.js';

const invalid = (why: string) =>
  new TokenError('mtls_certificate_invalid', `the client certificate is not valid: ${why}`);

/**
 * Checks that `der` is one DER SEQUENCE whose encoded length is exactly its size: enough to
 * refuse garbage, text and truncated input before hashing, without parsing X.509 (the
 * binding is the hash of these bytes, RFC 8705 §3.1). Returns `der`, or throws
 * `mtls_certificate_invalid`.
 */
export function checkCertificateDer(der: Uint8Array): Uint8Array {
  if (der.byteLength > MAX_CERTIFICATE_BYTES) throw invalid('too large');
  if (der.byteLength < 2 || der[0] !== 0x30) throw invalid('not a DER SEQUENCE');
  const first = der[1] as number;
  let length: number;
  let header: number;
  if (first < 0x80) {
    length = first;
    header = 2;
  } else {
    const octets = first & 0x7f;
    // DER: the long form only for lengths >= 128, in as few octets as possible.
    if (octets === 0 || octets > 3 || der.byteLength < 2 + octets) throw invalid('bad length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (der[2 + i] as number);
    if (der[2] === 0 || length < 0x80) throw invalid('bad length');
    header = 2 + octets;
  }
  if (header + length !== der.byteLength) throw invalid('length does not match');
  return der;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict standard base64 (RFC 4648 §4, padded) to bytes; `undefined` when it is not. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const PEM = /^-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----$/;

/**
 * The DER of a PEM text holding exactly one certificate (the leaf, as nginx and the ALB
 * `-Leaf` header send it): the armor stripped, whitespace removed, base64 decoded, then
 * {@link checkCertificateDer}. Anything around it (a second certificate, a joined second
 * header) is refused. Throws `mtls_certificate_invalid`.
 */
export function pemCertificateToDer(pem: string): Uint8Array {
  const match = PEM.exec(pem.trim());
  if (!match) throw invalid('not a PEM certificate');
  const der = decodeBase64((match[1] as string).replace(/\s+/g, ''));
  if (der === undefined) throw invalid('bad base64 in the PEM');
  return checkCertificateDer(der);
}

/** 64 hex digits to 32 bytes (a SHA-256 fingerprint), or `undefined`. */
export function decodeSha256Hex(hex: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
