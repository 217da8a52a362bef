// Tokens in the shape Keycloak issues and documents:
// https://www.keycloak.org/docs/latest/server_admin/#audience-support (aud only through an
// audience mapper, "account" otherwise) and https://www.keycloak.org/docs/latest/server_admin/#_oidc
// (header typ JWT, RS256; payload typ "Bearer" for access tokens, "ID" for ID tokens; azp).
import { createIdpKeysStandIn, type IdpKeysStandIn } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrmkitConfigError, profiles } from '../../src/index.js';
import { now, RESOURCE, serverFor } from './helpers.js';

const ISS = 'https://sso.example.com/realms/mcp';
const KEYS = `${ISS}/protocol/openid-connect/certs`;
let keys: IdpKeysStandIn;
beforeAll(async () => {
  keys = await createIdpKeysStandIn([KEYS]);
});
afterAll(() => keys.close());

const token = (extra: Record<string, unknown> = {}) =>
  keys.mint(
    {
      exp: now() + 300,
      iat: now(),
      jti: 'onrtac:3b7d2b8f-8f1e-4b6e-9d7d-4c3c3b1d9a10',
      iss: ISS,
      aud: [RESOURCE, 'account'],
      sub: 'f:4c8b6a58-6a7a-4b1f-9c41-2d4e1d8c2a11:alice',
      typ: 'Bearer',
      azp: 'mcp-client',
      sid: '5e1c8a7e-7d2b-4d8c-9a3f-0f5d2e6c4b21',
      acr: '1',
      'allowed-origins': ['https://app.example.com'],
      realm_access: { roles: ['offline_access', 'default-roles-mcp'] },
      scope: 'openid profile email mcp:tools',
      email_verified: true,
      preferred_username: 'alice',
      ...extra,
    },
    { typ: 'JWT' },
  );

describe('profiles.keycloak', () => {
  it('accepts an access token whose audience mapper added the resource; client from azp', async () => {
    const { decide } = serverFor(profiles.keycloak({ issuer: ISS }), keys);
    const { code, auth } = await decide(await token());
    expect(code).toBe('ok');
    expect(auth).toMatchObject({ clientId: 'mcp-client', audience: [RESOURCE, 'account'] });
    expect(keys.requested).toContain(KEYS);
  });

  it('without the audience mapper (aud "account") the token is refused', async () => {
    const { decide } = serverFor(profiles.keycloak({ issuer: ISS }), keys);
    expect((await decide(await token({ aud: 'account' }))).code).toBe('audience_mismatch');
  });

  it('an Included Client Audience works through the audience option, exactly', async () => {
    const { decide } = serverFor(profiles.keycloak({ issuer: ISS, audience: 'mcp-server' }), keys);
    expect(
      (await decide(await token({ aud: ['mcp-server', 'account'] }))).auth?.audienceAlias,
    ).toBe('mcp-server');
    expect((await decide(await token({ aud: ['mcp-server-2', 'account'] }))).code).toBe(
      'audience_mismatch',
    );
  });

  it('refuses ID and refresh tokens (payload typ), and a token without azp', async () => {
    const { decide } = serverFor(profiles.keycloak({ issuer: ISS }), keys);
    expect((await decide(await token({ typ: 'ID', nonce: 'n', at_hash: 'x' }))).code).toBe(
      'claim_invalid',
    );
    expect((await decide(await token({ typ: 'Refresh' }))).code).toBe('claim_invalid');
    expect((await decide(await token({ azp: undefined }))).code).toBe('claim_missing');
    expect((await decide(await token({ iss: 'https://sso.example.com/realms/other' }))).code).toBe(
      'issuer_mismatch',
    );
  });

  it('refuses an issuer that is not a realm', () => {
    expect(() => profiles.keycloak({ issuer: 'https://sso.example.com' })).toThrow(
      PrmkitConfigError,
    );
    expect(() =>
      profiles.keycloak({ issuer: 'https://sso.example.com/auth/realms/mcp' }),
    ).not.toThrow();
  });
});
