import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createResourceServer } from '@prmkit/core';
import { nodePeerCertificate, writeNodeResponse } from '@prmkit/core/adapter';
import { createAuthFetch } from '@prmkit/client';
import { createMtlsFetch } from '@prmkit/client/node';
import { createTestCertificate, readBody, type TestCertificate } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// RFC 8705 end to end on loopback: an HTTPS authorization server that authenticates clients
// by their self-signed certificate at its mtls_endpoint_aliases token endpoint (§2.2, §5) and
// binds tokens to it (§3.1), and an HTTPS resource server on @prmkit/core in required mode.
// Certificates are made by the real openssl; TLS is Node's, through undici on the client side.

const thumbprintOf = (socket: TLSSocket): string | undefined => {
  const raw = socket.getPeerCertificate(false)?.raw;
  return raw?.byteLength
    ? Buffer.from(new X509Certificate(raw).fingerprint256.replaceAll(':', ''), 'hex').toString(
        'base64url',
      )
    : undefined;
};

function listenHttps(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve(`https://127.0.0.1:${port}`);
    }),
  );
}
const stop = (server: Server) =>
  new Promise<void>((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });

let serverCert: TestCertificate;
let certA: TestCertificate;
let certB: TestCertificate;
let as: Server;
let rsServer: Server;
let asOrigin: string;
let resource: string;
const tokenPaths: string[] = [];

beforeAll(async () => {
  serverCert = createTestCertificate('server', { hosts: ['127.0.0.1'] });
  certA = createTestCertificate('agent-a');
  certB = createTestCertificate('agent-b');
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const tls = {
    cert: serverCert.certPem,
    key: serverCert.keyPem,
    requestCert: true,
    rejectUnauthorized: false,
  };

  as = createServer(tls, (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(body));
      };
      const path = req.url ?? '/';
      if (path === '/.well-known/oauth-authorization-server') {
        return json(200, {
          issuer: asOrigin,
          token_endpoint: `${asOrigin}/token`,
          jwks_uri: `${asOrigin}/jwks`,
          grant_types_supported: ['client_credentials'],
          token_endpoint_auth_methods_supported: ['self_signed_tls_client_auth'],
          tls_client_certificate_bound_access_tokens: true,
          mtls_endpoint_aliases: { token_endpoint: `${asOrigin}/mtls/token` },
        });
      }
      if (path === '/jwks') return json(200, { keys: [jwk] });
      if (path === '/token' || path === '/mtls/token') {
        tokenPaths.push(path);
        const form = new URLSearchParams(await readBody(req));
        const x5t = thumbprintOf(req.socket as TLSSocket);
        // self_signed_tls_client_auth: the registered certificate of `agent` is certA's.
        if (path !== '/mtls/token' || form.get('client_id') !== 'agent' || x5t !== certA.thumbprint)
          return json(401, { error: 'invalid_client' });
        const accessToken = await new SignJWT({
          scope: 'mcp:tools',
          client_id: 'agent',
          cnf: { 'x5t#S256': x5t },
        })
          .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
          .setIssuer(asOrigin)
          .setSubject('agent')
          .setAudience(form.get('resource') ?? '')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
        return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300 });
      }
      json(404, {});
    })();
  });
  asOrigin = await listenHttps(as);

  const made: { rs?: ReturnType<typeof createResourceServer> } = {}; // once the port is known
  rsServer = createServer(tls, (req, res) => {
    void (async () => {
      const r = made.rs as ReturnType<typeof createResourceServer>;
      const base = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
      const meta = r.handleMetadataRequest(base);
      if (meta.status !== 404) return void writeNodeResponse(res, meta);
      const result = await r.authorize({
        ...base,
        peerCertificate: nodePeerCertificate(req.socket),
      });
      if (!result.ok) return void writeNodeResponse(res, result);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ subject: result.auth.subject }));
    })();
  });
  const rsOrigin = await listenHttps(rsServer);
  resource = `${rsOrigin}/mcp`;
  made.rs = createResourceServer({
    resource,
    authorizationServers: [asOrigin],
    requiredScopes: ['mcp:tools'],
    mtls: { mode: 'required' },
    jwt: { jwksUri: `${asOrigin}/jwks` },
    fetch: createMtlsFetch({ cert: certB.certPem, key: certB.keyPem, ca: serverCert.certPem })
      .fetch,
  });
});
afterAll(async () => {
  await Promise.all([as && stop(as), rsServer && stop(rsServer)]);
});

describe('client with a TLS client certificate (RFC 8705)', () => {
  it('authenticates at the mTLS token endpoint alias, gets a bound token, and the resource accepts it', async () => {
    const tls = createMtlsFetch({ cert: certA.certPem, key: certA.keyPem, ca: serverCert.certPem });
    try {
      const authFetch = createAuthFetch({
        fetch: tls.fetch,
        mtls: true,
        grant: 'client_credentials',
        allowHttp: 'loopback', // loopback addresses in the URLs the servers hand over
        client: { clientId: 'agent', tokenEndpointAuthMethod: 'self_signed_tls_client_auth' },
      });
      const res = await authFetch(resource);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await res.json()).toEqual({ subject: 'agent' });
      expect(tokenPaths).toEqual(['/mtls/token']);
    } finally {
      await tls.close();
    }
  });

  it('a bound token replayed over another certificate is refused (401 invalid_token)', async () => {
    const a = createMtlsFetch({ cert: certA.certPem, key: certA.keyPem, ca: serverCert.certPem });
    const b = createMtlsFetch({ cert: certB.certPem, key: certB.keyPem, ca: serverCert.certPem });
    try {
      const token = await a.fetch(`${asOrigin}/mtls/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'agent',
          resource,
        }).toString(),
      });
      const { access_token } = (await token.json()) as { access_token: string };
      const ok = await a.fetch(resource, { headers: { authorization: `Bearer ${access_token}` } });
      expect(ok.status).toBe(200);
      const replay = await b.fetch(resource, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      expect(replay.status).toBe(401);
      expect(replay.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      // Certificate B is not the registered one: the AS refuses to authenticate it.
      const other = await b.fetch(`${asOrigin}/mtls/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=agent',
      });
      expect(other.status).toBe(401);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('refuses mTLS client authentication without a certificate-presenting fetch', async () => {
    const tls = createMtlsFetch({ cert: certA.certPem, key: certA.keyPem, ca: serverCert.certPem });
    try {
      const authFetch = createAuthFetch({
        fetch: tls.fetch,
        grant: 'client_credentials',
        allowHttp: 'loopback', // loopback addresses in the URLs the servers hand over
        client: { clientId: 'agent', tokenEndpointAuthMethod: 'self_signed_tls_client_auth' },
      });
      await expect(authFetch(resource)).rejects.toMatchObject({ code: 'client_auth_unsupported' });
    } finally {
      await tls.close();
    }
  });
});
