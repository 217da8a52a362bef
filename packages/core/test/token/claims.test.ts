import { describe, expect, it } from 'vitest';
import { TokenError } from '../../src/model/errors.js';
import type { PrmkitErrorCode } from '../../src/model/errors.js';
import { validateAccessTokenClaims } from '../../src/verify/token/index.js';
import type { AccessTokenClaimRules } from '../../src/verify/token/index.js';

const NOW = 1_800_000_000;
const RESOURCE = 'https://api.example.com/mcp';
const ISSUER = 'https://as.example.com';
const rules: AccessTokenClaimRules = {
  resource: RESOURCE,
  issuers: [ISSUER],
  clockTolerance: 30,
  scopeClaims: ['scope'],
  now: () => NOW,
};
const good = {
  iss: ISSUER,
  aud: RESOURCE,
  exp: NOW + 600,
  iat: NOW,
  sub: 'u1',
  client_id: 'c1',
  scope: 'read write',
};

function failure(
  claims: Record<string, unknown>,
  r: AccessTokenClaimRules = rules,
): PrmkitErrorCode | undefined {
  try {
    validateAccessTokenClaims(claims, 'tok', r);
  } catch (e) {
    expect(e).toBeInstanceOf(TokenError);
    return (e as TokenError).code;
  }
  return undefined;
}

describe('validateAccessTokenClaims', () => {
  it('normalizes a valid token', () => {
    const auth = validateAccessTokenClaims(good, 'tok', rules);
    expect(auth).toMatchObject({
      token: 'tok',
      subject: 'u1',
      clientId: 'c1',
      scopes: ['read', 'write'],
      audience: [RESOURCE],
      issuer: ISSUER,
      expiresAt: NOW + 600,
    });
  });

  it('compares iss exactly', () => {
    expect(failure({ ...good, iss: `${ISSUER}/` })).toBe('issuer_mismatch');
    expect(failure({ ...good, iss: 'https://AS.example.com' })).toBe('issuer_mismatch');
    expect(failure({ ...good, iss: undefined })).toBe('claim_missing');
    expect(failure({ ...good, iss: 42 })).toBe('claim_invalid');
    expect(
      failure({ ...good, iss: undefined }, { ...rules, requireIssuer: false }),
    ).toBeUndefined();
  });

  it('requires the resource in aud, byte for byte', () => {
    for (const aud of [
      `${RESOURCE}/`,
      'https://api.example.com/MCP',
      'https://api.example.com/mcp-admin',
      'https://api.example.com',
      [`${RESOURCE}-admin`],
    ]) {
      expect(failure({ ...good, aud }), JSON.stringify(aud)).toBe('audience_mismatch');
    }
    expect(failure({ ...good, aud: ['https://other', RESOURCE] })).toBeUndefined();
    expect(failure({ ...good, aud: undefined })).toBe('claim_missing');
    expect(failure({ ...good, aud: [1] })).toBe('claim_invalid');
  });

  it('requires a numeric exp', () => {
    expect(failure({ ...good, exp: undefined })).toBe('claim_missing');
    expect(failure({ ...good, exp: String(NOW + 600) })).toBe('claim_invalid');
  });

  it('refuses expired tokens beyond the tolerance only', () => {
    expect(failure({ ...good, exp: NOW - 29 })).toBeUndefined();
    expect(failure({ ...good, exp: NOW - 30 })).toBe('token_expired');
    expect(failure({ ...good, exp: NOW - 31 })).toBe('token_expired');
    expect(failure({ ...good, exp: NOW }, { ...rules, clockTolerance: 0 })).toBe('token_expired');
  });

  it('checks nbf and iat against the tolerance', () => {
    expect(failure({ ...good, nbf: NOW + 31 })).toBe('token_not_yet_valid');
    expect(failure({ ...good, nbf: NOW + 30 })).toBeUndefined();
    expect(failure({ ...good, iat: NOW + 31 })).toBe('token_issued_in_future');
    expect(failure({ ...good, iat: NOW + 30 })).toBeUndefined();
    expect(failure({ ...good, nbf: 'soon' })).toBe('claim_invalid');
  });

  it('reads scopes from scope, and scp only when enabled', () => {
    const claims = { ...good, scope: ' a  b ', scp: ['c', 'a'] };
    expect(validateAccessTokenClaims(claims, 't', rules).scopes).toEqual(['a', 'b']);
    expect(
      validateAccessTokenClaims(claims, 't', { ...rules, scopeClaims: ['scope', 'scp'] }).scopes,
    ).toEqual(['a', 'b', 'c']);
    expect(
      validateAccessTokenClaims({ ...good, scope: undefined, scp: 'x y' }, 't', {
        ...rules,
        scopeClaims: ['scp'],
      }).scopes,
    ).toEqual(['x', 'y']);
    expect(failure({ ...good, scope: ['a'] })).toBe('claim_invalid');
  });

  it('takes clientId from client_id; azp stands in only through a profile', () => {
    expect(failure({ ...good, client_id: undefined, azp: 'z' })).toBe('claim_missing');
    const withAzp = { ...rules, profile: { name: 'p', clientIdClaims: ['client_id', 'azp'] } };
    expect(
      validateAccessTokenClaims({ ...good, client_id: undefined, azp: 'z' }, 't', withAzp).clientId,
    ).toBe('z');
    expect(validateAccessTokenClaims({ ...good, azp: 'z' }, 't', withAzp).clientId).toBe('c1');
  });
});
