import { afterEach } from 'vitest';
import { createTestIssuer, listen } from '@prmkit/testing';
import type { Listening, TestIssuer, TestIssuerOptions } from '@prmkit/testing';
import { PrmkitError } from '../../src/model/errors.js';
import { createJwtVerifier } from '../../src/verify/token/index.js';
import type { JwtVerifierOptions } from '../../src/verify/token/index.js';

export const RESOURCE = 'http://127.0.0.1:4000/mcp';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/**
 * A test issuer minting tokens for RESOURCE, closed after the test. ES256 unless told
 * otherwise: RSA key generation is slow, and RS256 has its own tests.
 */
export async function startIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const as = await createTestIssuer({
    audience: RESOURCE,
    scope: 'read write',
    alg: 'ES256',
    ...options,
  });
  open.push(as);
  return as;
}

/** A loopback server closed after the test. */
export async function startServer(...args: Parameters<typeof listen>): Promise<Listening> {
  const srv = await listen(...args);
  open.push(srv);
  return srv;
}

export function jwtVerifierFor(as: TestIssuer, overrides: Partial<JwtVerifierOptions> = {}) {
  return createJwtVerifier({
    resource: RESOURCE,
    issuers: [as.issuer],
    jwksUri: as.jwksUri,
    clockTolerance: 30,
    timeout: 1000,
    fetch: globalThis.fetch,
    allowHttp: 'loopback',
    ...overrides,
  });
}

/** The stable code of a rejection, asserting it is a PrmkitError (never a raw jose error). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof PrmkitError))
      throw new Error(`not a PrmkitError: ${String(e)}`, { cause: e });
    return e.code;
  }
  throw new Error('expected a rejection, but it resolved');
}

export async function errorOf(promise: Promise<unknown>): Promise<PrmkitError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof PrmkitError) return e;
    throw new Error(`not a PrmkitError: ${String(e)}`, { cause: e });
  }
  throw new Error('expected a rejection, but it resolved');
}

export function jwksRequests(as: TestIssuer): number {
  return as.requests.filter((r) => r.path === '/jwks').length;
}
