import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createResourceServer } from '@prmkit/core';
import { nodePeerCertificate, writeNodeResponse } from '@prmkit/core/adapter';
import { createTestCertificate, createTestIssuer } from '@prmkit/testing';
import type { TestCertificate, TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/index.js';

// `prmkit inspect` against an HTTPS resource server on @prmkit/core with mtls required:
// the metadata check says certificate-bound tokens are advertised, and --cert/--key makes
// the bound call with the real certificate (openssl-made), refused with another one.

class Sink {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

let issuer: TestIssuer;
let https: Server;
let url: string;
let dir: string;
let serverCert: TestCertificate;
let certA: TestCertificate;
let certB: TestCertificate;

beforeAll(async () => {
  issuer = await createTestIssuer({ scope: 'mcp:read' });
  serverCert = createTestCertificate('server', { hosts: ['127.0.0.1'] });
  certA = createTestCertificate('cli-a');
  certB = createTestCertificate('cli-b');
  dir = mkdtempSync(join(tmpdir(), 'prmkit-cli-mtls-'));
  for (const [name, text] of [
    ['server.pem', serverCert.certPem],
    ['a.pem', certA.certPem],
    ['a.key', certA.keyPem],
    ['b.pem', certB.certPem],
    ['b.key', certB.keyPem],
  ] as const)
    writeFileSync(join(dir, name), text, { mode: 0o600 });
  const made: { rs?: ReturnType<typeof createResourceServer> } = {};
  https = createServer(
    {
      cert: serverCert.certPem,
      key: serverCert.keyPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      void (async () => {
        const rs = made.rs as ReturnType<typeof createResourceServer>;
        const base = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
        const meta = rs.handleMetadataRequest(base);
        if (meta.status !== 404) return void writeNodeResponse(res, meta);
        req.resume();
        const result = await rs.authorize({
          ...base,
          peerCertificate: nodePeerCertificate(req.socket),
        });
        if (!result.ok) return void writeNodeResponse(res, result);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            result: {
              protocolVersion: '2025-11-25',
              capabilities: {},
              serverInfo: { name: 't', version: '1' },
            },
          }),
        );
      })();
    },
  );
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', () => resolve()));
  url = `https://127.0.0.1:${(https.address() as { port: number }).port}/mcp`;
  made.rs = createResourceServer({
    resource: url,
    authorizationServers: [issuer.issuer],
    allowHttp: 'loopback',
    scopesSupported: ['mcp:read'],
    jwt: { jwksUri: issuer.jwksUri },
    mtls: { mode: 'required' },
  });
});
afterAll(async () => {
  await new Promise<void>((done) => {
    https?.close(() => done());
    https?.closeAllConnections();
  });
  await issuer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function run(token: string, cert: 'a' | 'b') {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await main(
    [
      'inspect',
      url,
      '--json',
      '--allow-http-loopback',
      '--token',
      token,
      '--cert',
      join(dir, `${cert}.pem`),
      '--key',
      join(dir, `${cert}.key`),
      '--ca',
      join(dir, 'server.pem'),
    ],
    { stdout, stderr, env: {} },
  );
  const report = JSON.parse(stdout.text) as {
    steps: { checks: { id: string; status: string; message?: string }[] }[];
  };
  const check = (id: string) => report.steps.flatMap((s) => s.checks).find((c) => c.id === id);
  return { code, check };
}

describe('prmkit inspect with --cert/--key (RFC 8705)', () => {
  it('reports the advertised binding and makes the bound call with the certificate', async () => {
    const token = await issuer.mint({ aud: url, cnf: { 'x5t#S256': certA.thumbprint } });
    const a = await run(token, 'a');
    expect(a.check('resource_metadata.certificate_bound_tokens')).toMatchObject({ status: 'pass' });
    expect(JSON.stringify(a.check('resource_metadata.certificate_bound_tokens'))).toMatch(
      /advertises/,
    );
    expect(a.check('token_call.accepted')?.status).toBe('pass');
    const b = await run(token, 'b');
    expect(b.check('token_call.accepted')?.status).toBe('fail');
    expect(b.code).toBe(1);
  });

  it('--cert and --key go together', async () => {
    const stderr = new Sink();
    const code = await main(['inspect', url, '--cert', 'x.pem'], {
      stdout: new Sink(),
      stderr,
      env: {},
    });
    expect(code).toBe(2);
    expect(stderr.text).toMatch(/--cert and --key go together/);
  });
});
