import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateService } from './services/locate.js';

/** A self-signed certificate and its key, made by openssl for one test run. */
export interface TestCertificate {
  /** PEM of the certificate. */
  readonly certPem: string;
  /** PEM of the private key (unencrypted; never written anywhere but a temp dir). */
  readonly keyPem: string;
  /** DER of the certificate. */
  readonly der: Uint8Array;
  /** `x5t#S256`: base64url SHA-256 of the DER, computed with node:crypto's X509Certificate. */
  readonly thumbprint: string;
  /** The PEM URL-encoded, as nginx `$ssl_client_escaped_cert` and AWS ALB send it. */
  readonly escapedPem: string;
  /** RFC 9440 `Client-Cert` value: `:base64 DER:`. */
  readonly rfc9440: string;
}

/** The openssl binary (Debian package `openssl`), or `undefined` when not installed. */
export const opensslPath = (): string | undefined =>
  locateService('openssl', '/usr/bin/openssl', 'openssl');

/**
 * Makes a fresh self-signed P-256 certificate with the real openssl (in a temp dir removed
 * at once), for mTLS tests: a client certificate, or a server certificate when `hosts`
 * names the SANs (`127.0.0.1`, `localhost`).
 *
 * @example
 * ```ts
 * const client = createTestCertificate('client-a');
 * await issuer.mint({ cnf: { 'x5t#S256': client.thumbprint } });
 * ```
 */
export function createTestCertificate(
  commonName: string,
  options: { readonly hosts?: readonly string[] } = {},
): TestCertificate {
  const openssl = opensslPath();
  if (openssl === undefined) throw new Error('openssl is not installed (apt-get install openssl)');
  const dir = mkdtempSync(join(tmpdir(), 'prmkit-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const san = (options.hosts ?? [])
      .map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`))
      .join(',');
    execFileSync(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
        ...(san ? ['-addext', `subjectAltName=${san}`] : []),
      ],
      { stdio: 'pipe' },
    );
    const certPem = readFileSync(cert, 'utf8');
    const keyPem = readFileSync(key, 'utf8');
    const x509 = new X509Certificate(certPem);
    const der = new Uint8Array(x509.raw);
    const thumbprint = Buffer.from(x509.fingerprint256.replaceAll(':', ''), 'hex').toString(
      'base64url',
    );
    return {
      certPem,
      keyPem,
      der,
      thumbprint,
      escapedPem: encodeURIComponent(certPem),
      rfc9440: `:${Buffer.from(der).toString('base64')}:`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
