// Tokens in the shape Okta documents:
// https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/#access-token (custom
// authorization server: ver, jti, iss, aud, iat, exp, cid, uid, scp array, auth_time, sub; header
// kid + RS256, no typ) and https://developer.okta.com/docs/concepts/auth-servers/ (the org
// authorization server's tokens cannot be validated by a resource).
import { createIdpKeysStandIn, type IdpKeysStandIn } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrmkitConfigError, profiles } from '../../src/index.js';
import { now, RESOURCE, serverFor } from './helpers.js';

const ISS = 'https://example.okta.com/oauth2/default';
const KEYS = `${ISS}/v1/keys`;
let keys: IdpKeysStandIn;
beforeAll(async () => {
  keys = await createIdpKeysStandIn([KEYS]);
});
afterAll(() => keys.close());

const token = (extra: Record<string, unknown> = {}) =>
  keys.mint(
    {
      ver: 1,
      jti: 'AT.0mP4JKAZX1iACIT4vbEDF7LpvDVjxypPMf0D7uX39RE',
      iss: ISS,
      aud: 'api://default',
      iat: now(),
      exp: now() + 3600,
      cid: '0oa1zg0ydqpdxOyKW0h7',
      uid: '00uid4BxXw6I6TV4m0g3',
      scp: ['openid', 'mcp:tools'],
      auth_time: now() - 60,
      sub: 'john.doe@example.com',
      ...extra,
    },
    { typ: null },
  );

describe('profiles.okta', () => {
  it('accepts a custom-server token: no typ, cid, scp array, audience alias', async () => {
    const { decide, decisions } = serverFor(
      profiles.okta({ issuer: ISS, audience: 'api://default' }),
      keys,
    );
    const { code, auth } = await decide(await token());
    expect(code).toBe('ok');
    expect(auth).toMatchObject({
      clientId: '0oa1zg0ydqpdxOyKW0h7',
      scopes: ['openid', 'mcp:tools'],
    });
    expect(decisions.at(-1)?.audienceAlias).toBe('api://default');
    expect(keys.requested).toContain(KEYS);
  });

  it('without an alias the audience must be the resource', async () => {
    const { decide } = serverFor(profiles.okta({ issuer: ISS }), keys);
    expect((await decide(await token())).code).toBe('audience_mismatch');
    expect((await decide(await token({ aud: RESOURCE }))).code).toBe('ok');
  });

  it('refuses a token without cid, and one from the org authorization server', async () => {
    const { decide } = serverFor(profiles.okta({ issuer: ISS, audience: 'api://default' }), keys);
    expect((await decide(await token({ cid: undefined, client_id: undefined }))).code).toBe(
      'claim_missing',
    );
    expect((await decide(await token({ iss: 'https://example.okta.com' }))).code).toBe(
      'issuer_mismatch',
    );
  });

  it('refuses the org authorization server as a configuration error that says why', () => {
    try {
      profiles.okta({ issuer: 'https://example.okta.com' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PrmkitConfigError);
      expect((e as Error).message).toMatch(
        /org authorization server.*cannot be validated.*custom authorization server/s,
      );
    }
    expect(() => profiles.okta({ issuer: 'http://example.okta.com/oauth2/default' })).toThrow(
      PrmkitConfigError,
    );
  });
});
