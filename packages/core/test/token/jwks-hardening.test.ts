import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/model/errors.js';
import { nodeCryptoBackend } from '../../src/node/index.js';
import { webCryptoBackend } from '../../src/verify/token/index.js';
import {
  codeOf,
  errorOf,
  jwksRequests,
  jwtVerifierFor,
  startIssuer,
  startServer,
} from './helpers.js';

// Issue #16 item 7: a failing or probed JWKS must not be hammered, and a kid-less token
// must find its key past keys the verifier cannot use.
describe('JWKS hardening', () => {
  it('a failing JWKS cools down: 20 honest requests, one fetch, each refused with retryAfter', async () => {
    const as = await startIssuer();
    as.setJwksMode('error500');
    const verifier = jwtVerifierFor(as);
    const token = await as.mint();
    for (let i = 0; i < 20; i += 1) {
      const error = await errorOf(verifier.verify(token));
      expect(error.code).toBe('jwks_unavailable');
      expect(error instanceof UpstreamError && error.retryAfter).toBeGreaterThanOrEqual(1);
    }
    expect(jwksRequests(as)).toBe(1);
  });

  it('a JWKS that answers garbage cools down too', async () => {
    const as = await startIssuer();
    as.setJwksMode('garbage');
    const verifier = jwtVerifierFor(as);
    for (let i = 0; i < 5; i += 1) {
      expect(await codeOf(verifier.verify(await as.mint()))).toBe('jwks_unavailable');
    }
    expect(jwksRequests(as)).toBe(1);
  });

  it('after the failure cooldown the JWKS is asked again, and recovery is seen', async () => {
    const as = await startIssuer();
    as.setJwksMode('down');
    const verifier = jwtVerifierFor(as, { jwksFailureCooldown: 150, timeout: 300 });
    expect(await codeOf(verifier.verify(await as.mint()))).toBe('jwks_unavailable');
    as.setJwksMode('ok');
    expect(await codeOf(verifier.verify(await as.mint()))).toBe('jwks_unavailable');
    await new Promise((r) => setTimeout(r, 200));
    await expect(verifier.verify(await as.mint())).resolves.toMatchObject({ subject: 'user-123' });
  });

  it('keys cached: 30 sequential random unknown kids cause no refetch within the cooldown', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as);
    await verifier.verify(await as.mint());
    for (let i = 0; i < 30; i += 1) {
      const kid = crypto.randomUUID();
      expect(await codeOf(verifier.verify(await as.mint({}, { kid })))).toBe('key_not_found');
    }
    expect(jwksRequests(as)).toBe(1);
    // Known keys still verify from the cache.
    await expect(verifier.verify(await as.mint())).resolves.toBeDefined();
    expect(jwksRequests(as)).toBe(1);
  });

  it('30 concurrent unknown kids after the cooldown share one refetch (single flight)', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as, { jwksCooldown: 100 });
    await verifier.verify(await as.mint());
    await new Promise((r) => setTimeout(r, 150));
    const tokens = await Promise.all(
      Array.from({ length: 30 }, () => as.mint({}, { kid: crypto.randomUUID() })),
    );
    const codes = await Promise.all(tokens.map((t) => codeOf(verifier.verify(t))));
    expect(new Set(codes)).toEqual(new Set(['key_not_found']));
    expect(jwksRequests(as)).toBe(2);
  });

  for (const [name, backend] of [
    ['webCrypto', webCryptoBackend],
    ['nodeCrypto', nodeCryptoBackend],
  ] as const) {
    it(`a kid-less token verifies when a key the verifier refuses (RSA-1024) is listed first (${name})`, async () => {
      const as = await startIssuer({ alg: 'RS256' });
      // jose refuses to make one; node:crypto still does.
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const weakJwk = { ...weak.publicKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig' };
      const { kid: _kid, ...good } = as.publicJwk as JsonWebKey & { kid?: string };
      const jwks = await startServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [weakJwk, good] }));
      });
      const verifier = jwtVerifierFor(as, {
        jwksUri: `${jwks.url}/jwks`,
        signatureBackend: backend,
      });
      await expect(verifier.verify(await as.mint({}, { kid: null }))).resolves.toMatchObject({
        subject: 'user-123',
      });
    });
  }
});
