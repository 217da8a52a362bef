import { createServer, type Server } from 'node:https';
import { decodeJwt } from 'jose';
import { startAuthorizationServer } from '@prmkit/authorization-server';
import type { RunningAuthorizationServer } from '@prmkit/authorization-server';
import { createAuthFetch } from '@prmkit/client';
import { createMtlsFetch } from '@prmkit/client/node';
import { createResourceServer } from '@prmkit/core';
import { nodePeerCertificate, writeNodeResponse } from '@prmkit/core/adapter';
import { createTestCertificate } from '@prmkit/testing';
import type { TestCertificate } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// RFC 8705 with the real oidc-provider: the local AS on HTTPS authenticates a client by its
// self-signed certificate (self_signed_tls_client_auth) and binds the client credentials
// token to it (features.mTLS); a resource server on @prmkit/core in required mode accepts the
// token with that certificate and refuses it over another one.

let serverCert: TestCertificate;
let certA: TestCertificate;
let certB: TestCertificate;
let as: RunningAuthorizationServer;
let rsServer: Server;
let resource: string;

beforeAll(async () => {
  serverCert = createTestCertificate('localhost', { hosts: ['127.0.0.1'] });
  certA = createTestCertificate('agent-a');
  certB = createTestCertificate('agent-b');
  const tls = { cert: serverCert.certPem, key: serverCert.keyPem };
  as = await startAuthorizationServer({
    tls,
    mtlsClients: [{ clientId: 'agent', certificate: certA.certPem }],
  });
  const made: { rs?: ReturnType<typeof createResourceServer> } = {};
  rsServer = createServer({ ...tls, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    void (async () => {
      const rs = made.rs as ReturnType<typeof createResourceServer>;
      const base = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
      const meta = rs.handleMetadataRequest(base);
      if (meta.status !== 404) return void writeNodeResponse(res, meta);
      const result = await rs.authorize({
        ...base,
        peerCertificate: nodePeerCertificate(req.socket),
      });
      if (!result.ok) return void writeNodeResponse(res, result);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    })();
  });
  await new Promise<void>((resolve) => rsServer.listen(0, '127.0.0.1', () => resolve()));
  resource = `https://127.0.0.1:${(rsServer.address() as { port: number }).port}/mcp`;
  made.rs = createResourceServer({
    resource,
    authorizationServers: [as.issuer],
    requiredScopes: ['mcp:tools'],
    mtls: { mode: 'required' },
    // The AS's https with the test CA (keys and discovery only; no certificate needed).
    fetch: createMtlsFetch({ cert: certB.certPem, key: certB.keyPem, ca: serverCert.certPem })
      .fetch,
  });
});
afterAll(async () => {
  await new Promise<void>((done) => {
    rsServer?.close(() => done());
    rsServer?.closeAllConnections();
  });
  await as?.close();
});

describe('oidc-provider features.mTLS → certificate-bound token → @prmkit/core', () => {
  it('issues a token bound to the client certificate, accepted with it, refused with another', async () => {
    const a = createMtlsFetch({ cert: certA.certPem, key: certA.keyPem, ca: serverCert.certPem });
    const b = createMtlsFetch({ cert: certB.certPem, key: certB.keyPem, ca: serverCert.certPem });
    try {
      const seen: string[] = [];
      const authFetch = createAuthFetch({
        fetch: async (input, init) => {
          const res = await a.fetch(input, init);
          seen.push(
            `${res.status} ${typeof input === 'string' ? input : input instanceof URL ? input.href : input.url}`,
          );
          return res;
        },
        mtls: true,
        allowHttp: 'loopback',
        grant: 'client_credentials',
        client: { clientId: 'agent', tokenEndpointAuthMethod: 'self_signed_tls_client_auth' },
      });
      const res = await authFetch(resource);
      expect(res.status, seen.join('\n')).toBe(200);

      const token = await a.fetch(`${as.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'agent',
          scope: 'mcp:tools',
          resource,
        }).toString(),
      });
      const body = (await token.json()) as { access_token: string };
      expect(token.status, JSON.stringify(body)).toBe(200);
      expect(decodeJwt(body.access_token).cnf).toEqual({ 'x5t#S256': certA.thumbprint });
      const headers = { authorization: `Bearer ${body.access_token}` };
      expect((await a.fetch(resource, { headers })).status).toBe(200);
      const replay = await b.fetch(resource, { headers });
      expect(replay.status).toBe(401);
      expect(replay.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      // Certificate B is not agent's: the AS refuses to authenticate it.
      const other = await b.fetch(`${as.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=agent',
      });
      expect(other.status).toBe(401);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
