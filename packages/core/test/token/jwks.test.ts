import { describe, expect, it } from 'vitest';
import { codeOf, jwksRequests, jwtVerifierFor, startIssuer } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JWKS handling', () => {
  it('caches the key set between tokens', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as);
    await verifier.verify(await as.mint());
    await verifier.verify(await as.mint());
    expect(jwksRequests(as)).toBe(1);
  });

  it('an unknown kid triggers one refetch, then the cooldown holds', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as, { jwksCooldown: 300 });
    await verifier.verify(await as.mint());
    expect(jwksRequests(as)).toBe(1);
    await sleep(350);
    const unknown = await as.mint({}, { kid: 'no-such-kid' });
    expect(await codeOf(verifier.verify(unknown))).toBe('key_not_found');
    expect(jwksRequests(as)).toBe(2);
    // Within the cooldown: refused without another request.
    expect(await codeOf(verifier.verify(unknown))).toBe('key_not_found');
    expect(await codeOf(verifier.verify(await as.mint({}, { kid: 'another-unknown' })))).toBe(
      'key_not_found',
    );
    expect(jwksRequests(as)).toBe(2);
    await sleep(350);
    expect(await codeOf(verifier.verify(unknown))).toBe('key_not_found');
    expect(jwksRequests(as)).toBe(3);
  });

  it('the default cooldown stops a flood of unknown kids from reaching the JWKS', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as);
    await verifier.verify(await as.mint());
    for (let i = 0; i < 5; i += 1) {
      expect(await codeOf(verifier.verify(await as.mint({}, { kid: `kid-${i}` })))).toBe(
        'key_not_found',
      );
    }
    expect(jwksRequests(as)).toBe(1);
  });

  it('picks up a rotated key', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as, { jwksCooldown: 0 });
    await verifier.verify(await as.mint());
    await as.rotateKey();
    await expect(verifier.verify(await as.mint())).resolves.toMatchObject({ subject: 'user-123' });
    expect(jwksRequests(as)).toBe(2);
  });

  for (const mode of ['down', 'hang', 'error500', 'garbage'] as const) {
    it(`fails closed with jwks_unavailable when the JWKS is ${mode}, within the timeout`, async () => {
      const as = await startIssuer();
      as.setJwksMode(mode);
      const verifier = jwtVerifierFor(as, { timeout: 300 });
      const started = Date.now();
      expect(await codeOf(verifier.verify(await as.mint()))).toBe('jwks_unavailable');
      expect(Date.now() - started).toBeLessThan(1500);
      expect(jwksRequests(as)).toBeGreaterThanOrEqual(1);
    });
  }

  it('a JWKS that is JSON but not a key set is unavailable, not empty', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as, {
      fetch: async () => new Response(JSON.stringify({ keys: 'nope' }), { status: 200 }),
    });
    expect(await codeOf(verifier.verify(await as.mint()))).toBe('jwks_unavailable');
  });

  it('a fetch that ignores its abort signal still cannot hang verification', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as, {
      timeout: 200,
      fetch: () => new Promise<Response>(() => undefined),
    });
    const started = Date.now();
    expect(await codeOf(verifier.verify(await as.mint()))).toBe('jwks_unavailable');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('uses the configured fetch, not the global one', async () => {
    const as = await startIssuer();
    const seen: string[] = [];
    const verifier = jwtVerifierFor(as, {
      fetch: (input, init) => {
        seen.push(String(input));
        return globalThis.fetch(input, init);
      },
    });
    await verifier.verify(await as.mint());
    expect(seen).toEqual([as.jwksUri]);
  });

  it('recovers once the JWKS is back (after the failure cooldown)', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as, { timeout: 300, jwksFailureCooldown: 0 });
    as.setJwksMode('error500');
    expect(await codeOf(verifier.verify(await as.mint()))).toBe('jwks_unavailable');
    as.setJwksMode('ok');
    await expect(verifier.verify(await as.mint())).resolves.toBeDefined();
  });
});
