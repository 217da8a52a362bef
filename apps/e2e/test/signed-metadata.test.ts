import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, jwtVerify, type JWK } from 'jose';
import { verifySignedMetadata } from '@prmkit/client';
import { EXAMPLE_METADATA_JWKS_PATH, readServerEnv } from '@prmkit/example-tools';
import { FRAMEWORKS, SERVERS } from './servers.js';

// RFC 9728 §2.2: each example server started with PRMKIT_SIGNED_METADATA_KEY and
// PRMKIT_SIGNED_METADATA_ISSUER serves a signed_metadata that verifies with the key's
// public half (pinned here, never read from the server).

const SIGNER = 'https://signer.example.com';
let dir: string;
let keyFile: string;
let publicJwk: JWK;
let publicKey: CryptoKey;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prmkit-e2e-signed-'));
  const pair = await generateKeyPair('ES256', { extractable: true });
  publicKey = pair.publicKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'example-1', alg: 'ES256' };
  keyFile = join(dir, 'metadata-key.json');
  await writeFile(
    keyFile,
    JSON.stringify({ ...(await exportJWK(pair.privateKey)), kid: 'example-1', alg: 'ES256' }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** GET until the signature exists (a few ms after start; 503 until then), bounded. */
async function getMetadata(url: URL): Promise<Response> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (res.status !== 503) return res;
    await res.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url.href} kept answering 503`);
}

describe.each(FRAMEWORKS)('%s example server with signed metadata', (framework) => {
  it('serves a signed_metadata that verifies with the pinned key, and its JWKS', async () => {
    const options = readServerEnv({
      PORT: '0',
      PRMKIT_ISSUER: 'http://127.0.0.1:9',
      PRMKIT_SIGNED_METADATA_KEY: keyFile,
      PRMKIT_SIGNED_METADATA_ISSUER: SIGNER,
      PRMKIT_LOG_LEVEL: 'warn',
    });
    const server = await SERVERS[framework]!(options);
    try {
      const res = await getMetadata(
        new URL('/.well-known/oauth-protected-resource/mcp', server.url),
      );
      expect(res.status).toBe(200);
      const etag = res.headers.get('etag');
      expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
      const doc = (await res.json()) as Record<string, unknown>;
      const jws = doc['signed_metadata'];
      expect(typeof jws).toBe('string');
      const { payload, protectedHeader } = await jwtVerify(jws as string, publicKey, {
        issuer: SIGNER,
        algorithms: ['ES256'],
      });
      expect(protectedHeader.kid).toBe('example-1');
      expect(payload['resource']).toBe(server.resource);
      expect(payload['authorization_servers']).toEqual(['http://127.0.0.1:9']);

      const verified = await verifySignedMetadata(doc, {
        expectedResource: server.resource,
        trustedSigners: { [SIGNER]: { keys: [publicJwk] } },
      });
      expect(verified.signer).toMatchObject({ issuer: SIGNER, kid: 'example-1', overridden: [] });

      // The public key is published where jwks_uri says, without its private part.
      const jwksUrl = new URL(EXAMPLE_METADATA_JWKS_PATH, server.url);
      expect(doc['jwks_uri']).toBe(jwksUrl.href);
      const jwks = await getMetadata(jwksUrl);
      expect(jwks.status).toBe(200);
      const body = (await jwks.json()) as { keys: JWK[] };
      expect(body.keys).toEqual([{ ...publicJwk, use: 'sig' }]);

      // ETag revalidation still works on the signed document.
      const again = await fetch(res.url, {
        headers: { 'if-none-match': etag ?? '' },
        signal: AbortSignal.timeout(5_000),
      });
      expect(again.status).toBe(304);
    } finally {
      await server.close();
    }
  });
});
