import { describe, expect, it } from 'vitest';
import { PrmkitError } from '../../src/model/errors.js';
import { validateAccessTokenClaims } from '../../src/verify/token/index.js';
import type { AccessTokenClaimRules } from '../../src/verify/token/index.js';
import { createResourceServer, PrmkitConfigError } from '../../src/index.js';

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
const good = { iss: ISSUER, aud: RESOURCE, exp: NOW + 600, iat: NOW, sub: 'u1', client_id: 'c1' };

function code(claims: Record<string, unknown>, r: Partial<AccessTokenClaimRules> = {}): string {
  try {
    validateAccessTokenClaims(claims, 't', { ...rules, ...r });
    return 'ok';
  } catch (e) {
    if (e instanceof PrmkitError) return e.code;
    throw e;
  }
}

describe('RFC 9068 §2.2 required claims', () => {
  it.each(['sub', 'client_id', 'iat'])('a token without %s is refused by default', (claim) => {
    expect(code({ ...good, [claim]: undefined })).toBe('claim_missing');
  });

  it('an empty sub or client_id is not a value', () => {
    expect(code({ ...good, sub: '' })).toBe('claim_invalid');
    expect(code({ ...good, client_id: '' })).toBe('claim_invalid');
  });

  it('a profile relaxes only the claims it names as not issued, and says its name', () => {
    const profile = { name: 'idp-x', notIssued: ['iat' as const] };
    expect(code({ ...good, iat: undefined }, { profile })).toBe('ok');
    expect(code({ ...good, sub: undefined }, { profile })).toBe('claim_missing');
    expect(() =>
      validateAccessTokenClaims({ ...good, sub: undefined }, 't', { ...rules, profile }),
    ).toThrow(/profile idp-x/);
  });

  it('the client id comes from the profile claim names, in order, and its allow-list', () => {
    const profile = { name: 'okta-like', clientIdClaims: ['cid'], allowedClientIds: ['c9'] };
    expect(
      validateAccessTokenClaims({ ...good, client_id: undefined, cid: 'c9' }, 't', {
        ...rules,
        profile,
      }).clientId,
    ).toBe('c9');
    expect(code({ ...good, client_id: undefined, cid: 'c8' }, { profile })).toBe('claim_invalid');
    // client_id is not read when the profile names another claim.
    expect(code({ ...good, cid: undefined }, { profile })).toBe('claim_missing');
  });

  it("audienceBinding 'client_id' replaces aud with the client allow-list", () => {
    const profile = {
      name: 'cognito-like',
      audienceBinding: 'client_id' as const,
      allowedClientIds: ['c1'],
    };
    expect(code({ ...good, aud: undefined }, { profile })).toBe('ok');
    expect(code({ ...good, aud: undefined, client_id: 'c2' }, { profile })).toBe(
      'audience_mismatch',
    );
    // Without the binding a missing aud is still refused.
    expect(code({ ...good, aud: undefined }, { profile: { name: 'p' } })).toBe('claim_missing');
  });
});

describe('audienceAliases', () => {
  it('accepts an exact alias and reports it; the resource itself reports none', () => {
    const r = { ...rules, audienceAliases: ['api://my-app'] };
    expect(validateAccessTokenClaims({ ...good, aud: 'api://my-app' }, 't', r).audienceAlias).toBe(
      'api://my-app',
    );
    expect(
      validateAccessTokenClaims({ ...good, aud: [RESOURCE, 'api://my-app'] }, 't', r).audienceAlias,
    ).toBeUndefined();
  });

  it('compares aliases exactly', () => {
    const r = { audienceAliases: ['api://my-app'] };
    for (const aud of ['api://my-app/', 'API://my-app', 'api://my-app-2', 'api://my']) {
      expect(code({ ...good, aud }, r)).toBe('audience_mismatch');
    }
  });

  it('is validated in the config: non-empty strings', () => {
    const base = { resource: RESOURCE, authorizationServers: [ISSUER] };
    expect(() => createResourceServer({ ...base, audienceAliases: [''] })).toThrow(
      PrmkitConfigError,
    );
    expect(() => createResourceServer({ ...base, audienceAliases: [] })).toThrow(PrmkitConfigError);
    expect(() =>
      createResourceServer({ ...base, profile: { name: 'p', notIssued: ['exp' as 'iat'] } }),
    ).toThrow(/profile\.notIssued/);
    // An issuer derived from the token needs keys from a fixed place, never discovery.
    const acceptIssuer = () => true;
    expect(() => createResourceServer({ ...base, profile: { name: 'p', acceptIssuer } })).toThrow(
      /jwt\.jwksUri/,
    );
    expect(() =>
      createResourceServer({
        ...base,
        profile: { name: 'p', acceptIssuer },
        jwt: { jwksUri: 'https://as.example.com/jwks' },
      }),
    ).not.toThrow();
  });
});
