import { base64url } from 'jose';
import { TokenError } from '../../model/errors.js';
import type { ClientCertificate } from '../../model/client-certificate.js';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/**
 * The `x5t#S256` of a client certificate: base64url (unpadded) of the SHA-256 of its DER
 * (Web Crypto). A source that gives the digest too must agree with the DER, else
 * `mtls_certificate_invalid` (a proxy header that contradicts itself is not believed).
 *
 * @example
 * ```ts
 * const x5t = await certificateThumbprint({ der }); // 43 characters
 * ```
 * @see RFC 8705 §3.1
 */
export async function certificateThumbprint(cert: ClientCertificate): Promise<string> {
  let digest = cert.sha256;
  if (cert.der !== undefined) {
    const computed = new Uint8Array(
      await crypto.subtle.digest('SHA-256', cert.der as Uint8Array<ArrayBuffer>),
    );
    if (digest !== undefined && !sameBytes(digest, computed)) {
      throw new TokenError(
        'mtls_certificate_invalid',
        'the client certificate header is not valid: its hash does not match its certificate',
      );
    }
    digest = computed;
  }
  if (digest === undefined || digest.byteLength !== 32) {
    throw new TokenError('mtls_certificate_invalid', 'the client certificate has no SHA-256');
  }
  return base64url.encode(digest);
}
