// Tokens in the shape Auth0 documents:
// https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles (the "Auth0" profile:
// header typ JWT, azp; the "RFC 9068" profile: typ at+jwt, client_id) and
// https://auth0.com/docs/get-started/apis/enable-role-based-access-control-for-apis (permissions).
import { createIdpKeysStandIn, type IdpKeysStandIn } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrmkitConfigError, profiles } from '../../src/index.js';
import { now, RESOURCE, serverFor } from './helpers.js';

const DOMAIN = 'example.us.auth0.com';
const ISS = `https://${DOMAIN}/`;
const KEYS = `https://${DOMAIN}/.well-known/jwks.json`;
let keys: IdpKeysStandIn;
beforeAll(async () => {
  keys = await createIdpKeysStandIn([KEYS]);
});
afterAll(() => keys.close());

const rfc9068 = (extra: Record<string, unknown> = {}) => ({
  iss: ISS,
  sub: 'auth0|5f7c8ec7c33c6c004bbafe82',
  aud: [RESOURCE, `https://${DOMAIN}/userinfo`],
  iat: now(),
  exp: now() + 86400,
  scope: 'openid profile mcp:tools',
  client_id: 'my-client-id-123',
  jti: 'jti-1',
  ...extra,
});
const auth0Profile = (extra: Record<string, unknown> = {}) => ({
  iss: ISS,
  sub: 'auth0|5f7c8ec7c33c6c004bbafe82',
  aud: [RESOURCE, `https://${DOMAIN}/userinfo`],
  azp: 'my-client-id-123',
  exp: now() + 86400,
  iat: now(),
  scope: 'openid profile mcp:tools',
  ...extra,
});

describe('profiles.auth0', () => {
  it('RFC 9068 profile: accepts at+jwt tokens whose aud array holds the API identifier and userinfo', async () => {
    const { decide } = serverFor(profiles.auth0({ domain: DOMAIN, audience: RESOURCE }), keys);
    const { code, auth } = await decide(await keys.mint(rfc9068(), { typ: 'at+jwt' }));
    expect(code).toBe('ok');
    expect(auth).toMatchObject({
      clientId: 'my-client-id-123',
      scopes: ['openid', 'profile', 'mcp:tools'],
    });
    // The identifier is the resource: no alias was needed.
    expect(auth?.audienceAlias).toBeUndefined();
    expect(keys.requested).toContain(KEYS);
    // A plain JWT is not an RFC 9068 token.
    expect((await decide(await keys.mint(auth0Profile(), { typ: 'JWT' }))).code).toBe(
      'type_not_allowed',
    );
  });

  it('Auth0 profile: typ JWT, client id from azp; an identifier other than the resource is an alias', async () => {
    const { decide } = serverFor(
      profiles.auth0({
        domain: DOMAIN,
        audience: 'https://api.example.com',
        tokenProfile: 'auth0',
      }),
      keys,
    );
    const token = await keys.mint(
      auth0Profile({ aud: ['https://api.example.com', `${ISS}userinfo`] }),
      { typ: 'JWT' },
    );
    expect((await decide(token)).auth).toMatchObject({
      clientId: 'my-client-id-123',
      audienceAlias: 'https://api.example.com',
    });
  });

  it('refuses a token for userinfo only, another API, another tenant, and one without sub', async () => {
    const { decide } = serverFor(profiles.auth0({ domain: DOMAIN, audience: RESOURCE }), keys);
    const mint = (c: Record<string, unknown>) => keys.mint(rfc9068(c), { typ: 'at+jwt' });
    expect((await decide(await mint({ aud: `${ISS}userinfo` }))).code).toBe('audience_mismatch');
    expect((await decide(await mint({ aud: 'https://other-api.example.com' }))).code).toBe(
      'audience_mismatch',
    );
    expect((await decide(await mint({ iss: 'https://evil.us.auth0.com/' }))).code).toBe(
      'issuer_mismatch',
    );
    // The issuer is exact: Auth0's has a trailing slash.
    expect((await decide(await mint({ iss: `https://${DOMAIN}` }))).code).toBe('issuer_mismatch');
    expect((await decide(await mint({ sub: undefined }))).code).toBe('claim_missing');
    expect((await decide(await mint({ client_id: undefined, azp: 'x' }))).code).toBe(
      'claim_missing',
    );
  });

  it('RBAC: scopesFrom permissions reads the permissions claim', async () => {
    const { decide } = serverFor(
      profiles.auth0({ domain: DOMAIN, audience: RESOURCE, scopesFrom: 'permissions' }),
      keys,
    );
    const token = await keys.mint(rfc9068({ permissions: ['mcp:tools', 'mcp:admin'] }), {
      typ: 'at+jwt',
    });
    expect((await decide(token)).auth?.scopes).toEqual(['mcp:tools', 'mcp:admin']);
  });

  it('a client-credentials token (sub <client>@clients) is accepted', async () => {
    const { decide } = serverFor(profiles.auth0({ domain: DOMAIN, audience: RESOURCE }), keys);
    const token = await keys.mint(
      rfc9068({ sub: 'my-client-id-123@clients', gty: 'client-credentials', aud: RESOURCE }),
      { typ: 'at+jwt' },
    );
    expect((await decide(token)).auth?.subject).toBe('my-client-id-123@clients');
  });

  it('refuses bad options', () => {
    expect(() =>
      profiles.auth0({ domain: 'https://example.auth0.com', audience: RESOURCE }),
    ).toThrow(PrmkitConfigError);
    expect(() => profiles.auth0({ domain: DOMAIN, audience: '' })).toThrow(
      /profiles\.auth0\.audience/,
    );
  });
});
