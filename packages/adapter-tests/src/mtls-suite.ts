import type { ResourceServerConfig } from '@prmkit/core';
import { createTestCertificate, type TestCertificate } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type SuiteFixture } from './fixture.js';
import type { AdapterHarness } from './harness.js';
import { type ClientTls, send } from './http.js';

/** The refusal reason in a JSON answer body (`{ error, error_description }` has no code). */
function challengeError(res: { headers: Headers }): string | undefined {
  return /error="([^"]+)"/.exec(res.headers.get('www-authenticate') ?? '')?.[1];
}

interface Certificates {
  readonly server: TestCertificate;
  readonly a: TestCertificate;
  readonly b: TestCertificate;
}

/**
 * Certificate-bound access tokens (RFC 8705 §3) through an adapter: the client certificate
 * of a real TLS connection (an HTTPS server requesting one, certificates made by openssl at
 * test time), and a proxy's certificate header, believed only from a trusted peer address
 * (the socket's, never `X-Forwarded-For`). Part of {@link runAdapterSuite}.
 *
 * @example
 * ```ts
 * runMtlsSuite('express 5', createExpressHarness(express));
 * ```
 * @see RFC 8705 §3, RFC 9440 §4
 */
export function runMtlsSuite(name: string, harness: AdapterHarness): void {
  describe(`${name}: certificate-bound tokens (RFC 8705)`, () => {
    let certs: Certificates;
    beforeAll(() => {
      certs = {
        server: createTestCertificate('server', { hosts: ['127.0.0.1'] }),
        a: createTestCertificate('client-a'),
        b: createTestCertificate('client-b'),
      };
    });
    const boundTo = (fx: SuiteFixture, cert: TestCertificate) =>
      fx.mint({ cnf: { 'x5t#S256': cert.thumbprint } });

    describe('the TLS connection', () => {
      let fx: SuiteFixture;
      beforeAll(async () => {
        fx = await startFixture(
          harness,
          { mtls: { mode: 'required' } } satisfies Partial<ResourceServerConfig>,
          { tls: { cert: certs.server.certPem, key: certs.server.keyPem } },
        );
      });
      afterAll(() => fx?.close());
      const over = (cert: TestCertificate | undefined): ClientTls => ({
        ca: certs.server.certPem,
        ...(cert && { cert: cert.certPem, key: cert.keyPem }),
      });
      const get = async (token: string, cert: TestCertificate | undefined, headers = {}) =>
        send(
          fx.origin,
          { path: '/mcp', headers: { authorization: `Bearer ${token}`, ...headers } },
          10_000,
          over(cert),
        );

      it('advertises tls_client_certificate_bound_access_tokens', async () => {
        const res = await send(
          fx.origin,
          { path: new URL(fx.metadataUrl).pathname },
          10_000,
          over(undefined),
        );
        expect(JSON.parse(res.body)).toMatchObject({
          resource: fx.resource,
          tls_client_certificate_bound_access_tokens: true,
        });
      });

      it('admits the bound token over a connection with its certificate', async () => {
        const res = await get(await boundTo(fx, certs.a), certs.a);
        expect(res.status, res.body).toBe(200);
      });

      it('refuses it over a connection with another certificate, or none: 401 invalid_token', async () => {
        const token = await boundTo(fx, certs.a);
        const other = await get(token, certs.b);
        expect(other.status).toBe(401);
        expect(challengeError(other)).toBe('invalid_token');
        expect(other.headers.get('www-authenticate')).toMatch(/client certificate is not the one/);
        const none = await get(token, undefined);
        expect(none.status).toBe(401);
        expect(none.headers.get('www-authenticate')).toMatch(/none was presented/);
      });

      it('refuses an unbound token in required mode', async () => {
        const res = await get(await fx.mint(), certs.a);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/certificate-bound access tokens only/);
      });

      it('ignores a certificate header: the peer is no trusted proxy, the socket wins', async () => {
        const res = await get(await boundTo(fx, certs.a), certs.b, {
          'client-cert': certs.a.rfc9440,
        });
        expect(res.status).toBe(401);
      });
    });

    describe('a proxy header', () => {
      const viaProxy = (trustedProxies: string[]): Partial<ResourceServerConfig> => ({
        mtls: { mode: 'allowed', certificateHeader: { format: 'nginx' }, trustedProxies },
      });

      describe('from a trusted proxy (the suite connects from 127.0.0.1)', () => {
        let fx: SuiteFixture;
        beforeAll(async () => {
          fx = await startFixture(harness, viaProxy(['127.0.0.0/8', '::1']));
        });
        afterAll(() => fx?.close());
        const get = async (token: string, header?: string) =>
          send(fx.origin, {
            path: '/mcp',
            headers: {
              authorization: `Bearer ${token}`,
              ...(header !== undefined && { 'x-ssl-client-cert': header }),
            },
          });

        it('admits the bound token with its certificate in the header', async () => {
          const res = await get(await boundTo(fx, certs.a), certs.a.escapedPem);
          expect(res.status, res.body).toBe(200);
        });

        it('refuses another certificate (401), no certificate (401), a garbled one (400)', async () => {
          const token = await boundTo(fx, certs.a);
          const other = await get(token, certs.b.escapedPem);
          expect(other.status).toBe(401);
          expect(challengeError(other)).toBe('invalid_token');
          const none = await get(token);
          expect(none.status).toBe(401);
          const garbled = await get(token, '-----BEGIN%20CERTIFICATE-----%0Anope');
          expect(garbled.status).toBe(400);
          expect(challengeError(garbled)).toBe('invalid_request');
        });

        it('still admits an unbound token in allowed mode', async () => {
          expect((await get(await fx.mint())).status).toBe(200);
        });
      });

      describe('from a peer that is not a trusted proxy', () => {
        let fx: SuiteFixture;
        beforeAll(async () => {
          fx = await startFixture(harness, viaProxy(['10.9.9.9']));
        });
        afterAll(() => fx?.close());

        it('ignores the header, whatever X-Forwarded-For claims (spoofing, CVE-2026-46579)', async () => {
          const res = await send(fx.origin, {
            path: '/mcp',
            headers: {
              authorization: `Bearer ${await boundTo(fx, certs.a)}`,
              'x-ssl-client-cert': certs.a.escapedPem,
              'x-forwarded-for': '10.9.9.9',
              forwarded: 'for=10.9.9.9',
            },
          });
          expect(res.status).toBe(401);
          expect(res.headers.get('www-authenticate')).toMatch(/none was presented/);
        });
      });
    });
  });
}
