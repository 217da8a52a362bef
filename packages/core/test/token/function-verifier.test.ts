import { describe, expect, it } from 'vitest';
import { TokenError, UpstreamError } from '../../src/model/errors.js';
import { verifyWith } from '../../src/verify/token/index.js';
import { RESOURCE, codeOf, errorOf } from './helpers.js';

const ISSUER = 'https://as.example.com';
const rules = {
  resource: RESOURCE,
  issuers: [ISSUER],
  clockTolerance: 0,
  scopeClaims: ['scope'] as const,
};
const claims = () => ({
  iss: ISSUER,
  aud: RESOURCE,
  exp: Math.floor(Date.now() / 1000) + 60,
  iat: Math.floor(Date.now() / 1000),
  sub: 'u',
  client_id: 'c',
  scope: 'a b',
});

describe('verifyWith', () => {
  it('turns returned claims into AuthInfo and passes token and context', async () => {
    const seen: unknown[] = [];
    const controller = new AbortController();
    const v = verifyWith(async (token, ctx) => {
      seen.push(token, ctx.signal);
      return claims();
    }, rules);
    await expect(v.verify('tok', { signal: controller.signal })).resolves.toMatchObject({
      token: 'tok',
      scopes: ['a', 'b'],
    });
    expect(seen).toEqual(['tok', controller.signal]);
  });

  it('null or undefined is verifier_rejected', async () => {
    expect(await codeOf(verifyWith(async () => null, rules).verify('t'))).toBe('verifier_rejected');
    expect(await codeOf(verifyWith(async () => undefined, rules).verify('t'))).toBe(
      'verifier_rejected',
    );
  });

  it('a throw is verifier_failed with the cause kept; a TokenError passes through', async () => {
    const boom = new Error('db down');
    const e = await errorOf(
      verifyWith(async () => {
        throw boom;
      }, rules).verify('t'),
    );
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e.code).toBe('verifier_failed');
    expect(e.cause).toBe(boom);
    const own = await errorOf(
      verifyWith(async () => {
        throw new TokenError('token_inactive', 'revoked');
      }, rules).verify('t'),
    );
    expect(own.code).toBe('token_inactive');
  });

  it('applies the shared claim rules', async () => {
    expect(
      await codeOf(
        verifyWith(async () => ({ ...claims(), aud: `${RESOURCE}/` }), rules).verify('t'),
      ),
    ).toBe('audience_mismatch');
    expect(
      await codeOf(verifyWith(async () => ({ ...claims(), exp: undefined }), rules).verify('t')),
    ).toBe('claim_missing');
    expect(
      await codeOf(verifyWith(async () => ({ ...claims(), iss: 'https://x' }), rules).verify('t')),
    ).toBe('issuer_mismatch');
  });

  it('a non-object result is verifier_failed', async () => {
    expect(await codeOf(verifyWith(async () => 'yes' as never, rules).verify('t'))).toBe(
      'verifier_failed',
    );
  });
});
