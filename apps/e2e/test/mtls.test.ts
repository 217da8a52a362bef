import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { readServerEnv } from '@prmkit/example-tools';
import { createTestCertificate, createTestIssuer } from '@prmkit/testing';
import type { TestCertificate, TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS, SERVERS } from './servers.js';

// The example servers with certificate-bound tokens (RFC 8705), configured the documented
// way (PRMKIT_TLS_CERT/KEY, PRMKIT_MTLS, PRMKIT_MTLS_CERT_HEADER, PRMKIT_TRUSTED_PROXIES):
// HTTPS asking for a client certificate, and plain HTTP behind a trusted proxy's header.

let issuer: TestIssuer;
let dir: string;
let server: TestCertificate;
let certA: TestCertificate;
let certB: TestCertificate;

beforeAll(async () => {
  issuer = await createTestIssuer({ scope: 'mcp:tools' });
  dir = mkdtempSync(join(tmpdir(), 'prmkit-e2e-mtls-'));
  server = createTestCertificate('localhost', { hosts: ['localhost', '127.0.0.1'] });
  certA = createTestCertificate('agent-a');
  certB = createTestCertificate('agent-b');
  writeFileSync(join(dir, 'server.pem'), server.certPem);
  writeFileSync(join(dir, 'server.key'), server.keyPem, { mode: 0o600 });
});
afterAll(async () => {
  await issuer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const listTools = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
const mcpHeaders = (token: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
});

/** POST over HTTPS with an optional client certificate; resolves with the status and challenge. */
function postTls(
  url: string,
  token: string,
  cert: TestCertificate | undefined,
): Promise<{ status: number; challenge: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        ca: server.certPem,
        ...(cert && { cert: cert.certPem, key: cert.keyPem }),
        headers: mcpHeaders(token),
        timeout: 5_000,
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            challenge: String(res.headers['www-authenticate'] ?? ''),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(listTools);
  });
}

describe.each(FRAMEWORKS)('%s example server with mTLS', (framework) => {
  describe('on HTTPS (PRMKIT_TLS_CERT, PRMKIT_MTLS=required)', () => {
    let running: RunningExampleServer;
    beforeAll(async () => {
      const options = readServerEnv({
        PORT: '0',
        PRMKIT_ISSUER: issuer.issuer,
        PRMKIT_JWKS_URI: issuer.jwksUri,
        PRMKIT_MTLS: 'required',
        PRMKIT_TLS_CERT: join(dir, 'server.pem'),
        PRMKIT_TLS_KEY: join(dir, 'server.key'),
        PRMKIT_LOG_LEVEL: 'warn',
      });
      running = await SERVERS[framework]!(options);
    });
    afterAll(() => running?.close());

    it('serves https with the default resource on https', async () => {
      expect(running.resource).toMatch(/^https:\/\/localhost:\d+\/mcp$/);
    });

    it('admits the bound token with its certificate, refuses another certificate and none', async () => {
      const token = await issuer.mint({
        aud: running.resource,
        cnf: { 'x5t#S256': certA.thumbprint },
      });
      expect((await postTls(running.url, token, certA)).status).toBe(200);
      const other = await postTls(running.url, token, certB);
      expect(other.status).toBe(401);
      expect(other.challenge).toMatch(/error="invalid_token"/);
      expect((await postTls(running.url, token, undefined)).status).toBe(401);
      const unbound = await postTls(
        running.url,
        await issuer.mint({ aud: running.resource }),
        certA,
      );
      expect(unbound.status).toBe(401);
    });
  });

  describe('behind a proxy (PRMKIT_MTLS_CERT_HEADER, PRMKIT_TRUSTED_PROXIES)', () => {
    const start = (trusted: string) =>
      SERVERS[framework]!(
        readServerEnv({
          PORT: '0',
          PRMKIT_ISSUER: issuer.issuer,
          PRMKIT_JWKS_URI: issuer.jwksUri,
          PRMKIT_MTLS: 'allowed',
          PRMKIT_MTLS_CERT_HEADER: 'x-ssl-client-cert',
          PRMKIT_TRUSTED_PROXIES: trusted,
          PRMKIT_LOG_LEVEL: 'warn',
        }),
      );
    const post = (url: string, token: string, cert: TestCertificate) =>
      fetch(url, {
        method: 'POST',
        headers: { ...mcpHeaders(token), 'x-ssl-client-cert': cert.escapedPem },
        body: listTools,
        signal: AbortSignal.timeout(5_000),
      });

    it('believes the header from a listed proxy only', async () => {
      const trusted = await start('127.0.0.1,::1');
      const untrusted = await start('10.0.0.0/8');
      try {
        for (const running of [trusted, untrusted]) {
          const token = await issuer.mint({
            aud: running.resource,
            cnf: { 'x5t#S256': certA.thumbprint },
          });
          const expected = running === trusted ? 200 : 401;
          expect((await post(running.url, token, certA)).status).toBe(expected);
          expect((await post(running.url, token, certB)).status).toBe(401);
        }
      } finally {
        await Promise.all([trusted.close(), untrusted.close()]);
      }
    });
  });
});
