import { request } from 'node:https';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { readServerEnv } from '@prmkit/example-tools';
import {
  createTestCertificate,
  createTestIssuer,
  freePort,
  nginxPath,
  startNginx,
} from '@prmkit/testing';
import type { RunningNginx, TestCertificate, TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVERS } from './servers.js';

// A real nginx (Debian package) terminates TLS, asks for a client certificate
// (ssl_verify_client optional_no_ca) and forwards it as $ssl_client_escaped_cert to two
// example servers (Express and Fastify) that believe that header from 127.0.0.1 only
// (PRMKIT_MTLS_CERT_HEADER=x-ssl-client-cert, PRMKIT_TRUSTED_PROXIES). RFC 8705 §3 end to end
// through a proxy, and nginx overwrites a client's own X-SSL-Client-Cert.

const nginx = nginxPath();

describe.skipIf(nginx === undefined)(
  'nginx terminating mTLS in front of two example servers',
  () => {
    let issuer: TestIssuer;
    let proxy: RunningNginx;
    let servers: RunningExampleServer[] = [];
    let serverCert: TestCertificate;
    let certA: TestCertificate;
    let certB: TestCertificate;
    let resource: string;

    beforeAll(async () => {
      issuer = await createTestIssuer({ scope: 'mcp:tools' });
      serverCert = createTestCertificate('127.0.0.1', { hosts: ['127.0.0.1'] });
      certA = createTestCertificate('agent-a');
      certB = createTestCertificate('agent-b');
      const port = await freePort();
      resource = `https://127.0.0.1:${port}/mcp`;
      const ports = [await freePort(), await freePort()];
      servers = await Promise.all(
        (['express', 'fastify'] as const).map((framework, i) =>
          SERVERS[framework]!(
            readServerEnv({
              PORT: String(ports[i]),
              PRMKIT_ISSUER: issuer.issuer,
              PRMKIT_JWKS_URI: issuer.jwksUri,
              PRMKIT_RESOURCE: resource,
              PRMKIT_MTLS: 'required',
              PRMKIT_MTLS_CERT_HEADER: 'x-ssl-client-cert',
              PRMKIT_TRUSTED_PROXIES: '127.0.0.1,::1',
              PRMKIT_LOG_LEVEL: 'warn',
            }),
          ),
        ),
      );
      proxy = await startNginx(
        nginx as string,
        [{ location: '/', servers: ports.map((p) => `127.0.0.1:${p}`) }],
        port,
        { tls: { cert: serverCert.certPem, key: serverCert.keyPem } },
      );
    });
    afterAll(async () => {
      await proxy?.stop();
      await Promise.all(servers.map((s) => s.close()));
      await issuer?.close();
    });

    function post(
      token: string,
      cert: TestCertificate | undefined,
      headers: Record<string, string> = {},
    ) {
      return new Promise<{ status: number; upstream: string }>((resolve, reject) => {
        const req = request(
          resource,
          {
            method: 'POST',
            agent: false,
            ca: serverCert.certPem,
            ...(cert && { cert: cert.certPem, key: cert.keyPem }),
            timeout: 5_000,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              ...headers,
            },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, upstream: String(res.headers['x-upstream']) }),
            );
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }));
      });
    }

    it('both servers admit the bound token with its certificate and refuse another', async () => {
      const token = await issuer.mint({ aud: resource, cnf: { 'x5t#S256': certA.thumbprint } });
      const upstreams = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const ok = await post(token, certA);
        expect(ok.status).toBe(200);
        upstreams.add(ok.upstream);
        expect((await post(token, certB)).status).toBe(401);
        expect((await post(token, undefined)).status).toBe(401);
      }
      expect(upstreams.size).toBe(2); // round robin reached both
    });

    it("nginx overwrites a client's own X-SSL-Client-Cert (no spoofing through the proxy)", async () => {
      const token = await issuer.mint({ aud: resource, cnf: { 'x5t#S256': certA.thumbprint } });
      const spoofed = await post(token, certB, { 'x-ssl-client-cert': certA.escapedPem });
      expect(spoofed.status).toBe(401);
      const noCert = await post(token, undefined, { 'x-ssl-client-cert': certA.escapedPem });
      expect(noCert.status).toBe(401);
    });
  },
);
