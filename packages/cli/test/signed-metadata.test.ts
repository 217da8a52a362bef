import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { TestIssuer } from '@prmkit/testing';
import { EXIT, inspect, main } from '../src/index.js';
import type { Report } from '../src/index.js';
import { goodIssuer, startBrokenServer, startCoreServer } from './fixtures.js';
import type { CoreServer } from './fixtures.js';

// RFC 9728 §2.2 / §3.3: inspect checks signed_metadata against keys the user pins.

const SIGNER = 'https://signer.example.com';
const status = (report: Report, id: string) =>
  report.steps.flatMap((s) => s.checks).find((c) => c.id === id);

let issuer: TestIssuer;
let server: CoreServer;
let publicJwk: JWK;
let otherPublicJwk: JWK;
let privateKey: CryptoKey;
let dir: string;
beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
  const other = await generateKeyPair('ES256', { extractable: true });
  otherPublicJwk = { ...(await exportJWK(other.publicKey)), kid: 'k1', alg: 'ES256' };
  issuer = await goodIssuer();
  server = await startCoreServer(issuer, {
    signedMetadata: {
      key: { ...(await exportJWK(pair.privateKey)), kid: 'k1' },
      alg: 'ES256',
      issuer: SIGNER,
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'prmkit-cli-signed-'));
});
afterAll(async () => {
  await server.close();
  await issuer.close();
  await rm(dir, { recursive: true, force: true });
});

const base = { allowHttp: 'loopback' as const, timeoutMs: 5000 };

describe('inspect: signed_metadata', () => {
  it('PASS with the signer’s keys, naming the signer', async () => {
    const report = await inspect(server.url, { ...base, trustJwks: { keys: [publicJwk] } });
    const check = status(report, 'resource_metadata.signature');
    expect(check?.status).toBe('pass');
    expect(check?.reason).toContain(`signed by ${SIGNER} (ES256, kid k1)`);
    expect(status(report, 'resource_metadata.signed_differs')).toBeUndefined();
    expect(report.ok).toBe(true);
  });

  it('FAIL with other keys', async () => {
    const report = await inspect(server.url, { ...base, trustJwks: { keys: [otherPublicJwk] } });
    const check = status(report, 'resource_metadata.signature');
    expect(check?.status).toBe('fail');
    expect(check?.reason).toContain('signed_metadata_signature_invalid');
    expect(report.ok).toBe(false);
  });

  it('WARN when signed but no trust is given', async () => {
    const report = await inspect(server.url, base);
    const check = status(report, 'resource_metadata.signature');
    expect(check?.status).toBe('warn');
    expect(check?.reason).toContain('--trust-jwks');
    expect(report.ok).toBe(true);
  });

  it('flags members whose signed value differs from the plain one', async () => {
    const jws = await new SignJWT({
      iss: SIGNER,
      authorization_servers: ['https://elsewhere.example'],
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuedAt()
      .sign(privateKey);
    const broken = await startBrokenServer({
      issuer: issuer.issuer,
      metadata: { signed_metadata: jws },
    });
    try {
      for (const trustJwks of [{ keys: [publicJwk] }, undefined]) {
        const report = await inspect(broken.mcpUrl, { ...base, trustJwks });
        expect(status(report, 'resource_metadata.signature')?.status).toBe(
          trustJwks ? 'pass' : 'warn',
        );
        const differs = status(report, 'resource_metadata.signed_differs');
        expect(differs?.status).toBe('warn');
        expect(differs?.reason).toContain('authorization_servers');
      }
    } finally {
      await broken.close();
    }
  });

  it('prmkit inspect --trust-jwks <file>: exit 0 when it verifies, 1 when it does not', async () => {
    const good = join(dir, 'good.json');
    const bad = join(dir, 'bad.json');
    await writeFile(good, JSON.stringify({ keys: [publicJwk] }));
    await writeFile(bad, JSON.stringify(otherPublicJwk));
    const run = async (file: string) => {
      let out = '';
      const sink = { isTTY: false, write: (c: string) => ((out += c), true) };
      const code = await main(
        ['inspect', server.url, '--allow-http-loopback', '--trust-jwks', file],
        { stdout: sink, stderr: { isTTY: false, write: () => true }, env: { NO_COLOR: '1' } },
      );
      return { code, out };
    };
    const ok = await run(good);
    expect(ok.code).toBe(EXIT.ok);
    expect(ok.out).toContain(`signed by ${SIGNER}`);
    const failed = await run(bad);
    expect(failed.code).toBe(EXIT.failed);
    const missing = await run(join(dir, 'nope.json'));
    expect(missing.code).toBe(EXIT.usage);
  });
});
