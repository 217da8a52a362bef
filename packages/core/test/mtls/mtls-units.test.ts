import { createTestCertificate } from '@prmkit/testing';
import { describe, expect, it } from 'vitest';
import { createAddressMatcher, parseAddressRange } from '../../src/util/ip-cidr.js';
import { checkCertificateDer, pemCertificateToDer } from '../../src/verify/mtls/der.js';
import { certificateThumbprint } from '../../src/verify/mtls/thumbprint.js';
import { decodeCertificateHeader } from '../../src/verify/mtls/header-formats.js';

describe('trusted-proxy allow-list', () => {
  it('matches addresses and CIDR ranges, IPv4-mapped IPv6 as IPv4', () => {
    const trusted = createAddressMatcher(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', '192.168.1.0/25']);
    for (const ok of [
      '127.0.0.1',
      '::ffff:127.0.0.1',
      '10.255.0.1',
      'fd12::1',
      '192.168.1.127',
      '[fd00::1]',
    ])
      expect(trusted(ok), ok).toBe(true);
    for (const no of [
      '127.0.0.2',
      '11.0.0.1',
      'fe80::1',
      '192.168.1.128',
      '::1',
      'localhost',
      '',
      undefined,
    ])
      expect(trusted(no), String(no)).toBe(false);
    expect(createAddressMatcher(['::1'])('::1')).toBe(true);
    expect(createAddressMatcher(['0.0.0.0/0'])('8.8.8.8')).toBe(true);
    expect(createAddressMatcher(['0.0.0.0/0'])('2001:db8::1')).toBe(false);
  });

  it('says why an entry is not an address or range', () => {
    expect(parseAddressRange('10.0.0.0/33')).toMatch(/prefix/);
    expect(parseAddressRange('10.0.0.0/x')).toMatch(/prefix/);
    expect(parseAddressRange('example.com')).toMatch(/not an IP/);
    expect(() => createAddressMatcher(['nope'])).toThrow(TypeError);
  });
});

describe('certificate bytes', () => {
  const cert = createTestCertificate('unit');

  it('computes the same x5t#S256 as node:crypto (Web Crypto, RFC 8705 §3.1)', async () => {
    expect(await certificateThumbprint({ der: cert.der })).toBe(cert.thumbprint);
    expect(pemCertificateToDer(cert.certPem)).toEqual(cert.der);
    expect(decodeCertificateHeader('rfc9440', cert.rfc9440).der).toEqual(cert.der);
  });

  it('checks the DER SEQUENCE header and length, nothing more', () => {
    expect(() => checkCertificateDer(cert.der)).not.toThrow();
    const bad = [
      new Uint8Array([]),
      new Uint8Array([0x31, 0x00]), // a SET
      new Uint8Array([0x30, 0x05, 1, 2]), // short
      new Uint8Array([0x30, 0x81, 0x05, 1, 2, 3, 4, 5]), // long form for a short length
      new Uint8Array([0x30, 0x80, 0, 0]), // indefinite length (BER, not DER)
      new Uint8Array([...cert.der, 0]), // trailing byte
      new Uint8Array(20_000).fill(0x30),
    ];
    for (const der of bad) {
      expect(() => checkCertificateDer(der)).toThrow(
        expect.objectContaining({ code: 'mtls_certificate_invalid' }),
      );
    }
  });
});
