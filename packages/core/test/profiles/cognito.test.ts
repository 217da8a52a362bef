// Tokens in the shape AWS documents:
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
// (access token: header kid + RS256; sub, cognito:groups, iss, version, client_id, origin_jti,
// event_id, token_use "access", scope, auth_time, exp, iat, jti, username; no aud) and
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html.
import { createIdpKeysStandIn, type IdpKeysStandIn } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResourceServer, PrmkitConfigError, profiles } from '../../src/index.js';
import { now, RESOURCE, serverFor } from './helpers.js';

const POOL = 'us-east-1_AbCdEf123';
const ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const KEYS = `${ISS}/.well-known/jwks.json`;
const CLIENT = '1example23456789';
let keys: IdpKeysStandIn;
beforeAll(async () => {
  keys = await createIdpKeysStandIn([KEYS]);
});
afterAll(() => keys.close());

const access = (extra: Record<string, unknown> = {}) =>
  keys.mint(
    {
      sub: 'aaaaaaaa-bbbb-cccc-dddd-example',
      'cognito:groups': ['admin'],
      iss: ISS,
      version: 2,
      client_id: CLIENT,
      origin_jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      event_id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      token_use: 'access',
      scope: 'phone openid profile mcp/tools email',
      auth_time: now() - 60,
      exp: now() + 3600,
      iat: now(),
      jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      username: 'my-test-user',
      ...extra,
    },
    { typ: null },
  );

describe('profiles.cognito', () => {
  const server = () => serverFor(profiles.cognito({ userPoolId: POOL, clientIds: [CLIENT] }), keys);

  it('accepts an access token with no aud, bound through client_id', async () => {
    const { code, auth } = await server().decide(await access());
    expect(code).toBe('ok');
    expect(auth).toMatchObject({
      clientId: CLIENT,
      audience: [],
      scopes: ['phone', 'openid', 'profile', 'mcp/tools', 'email'],
    });
    expect(keys.requested).toContain(KEYS);
  });

  it('refuses another app client, an ID token, and token_use id', async () => {
    const { decide } = server();
    expect((await decide(await access({ client_id: 'someotherclient' }))).code).toBe(
      'audience_mismatch',
    );
    // An ID token: aud is the client id, no client_id claim, token_use id.
    const idToken = await keys.mint(
      {
        sub: 'aaaaaaaa-bbbb-cccc-dddd-example',
        aud: CLIENT,
        email_verified: true,
        token_use: 'id',
        auth_time: now(),
        iss: ISS,
        'cognito:username': 'my-test-user',
        exp: now() + 3600,
        iat: now(),
        email: 'my-test-user@example.com',
      },
      { typ: null },
    );
    expect((await decide(idToken)).code).toBe('claim_missing');
    expect((await decide(await access({ token_use: 'id' }))).code).toBe('claim_invalid');
    expect((await decide(await access({ token_use: undefined }))).code).toBe('claim_invalid');
  });

  it('refuses options that would leave tokens unbound', () => {
    expect(() => profiles.cognito({ userPoolId: POOL, clientIds: [] })).toThrow(/clientIds/);
    expect(() => profiles.cognito({ userPoolId: 'AbCdEf123', clientIds: [CLIENT] })).toThrow(
      PrmkitConfigError,
    );
    // The binding itself is validated in the config too.
    expect(() =>
      createResourceServer({
        resource: RESOURCE,
        authorizationServers: [ISS],
        profile: { name: 'mine', audienceBinding: 'client_id' },
      }),
    ).toThrow(/allowedClientIds/);
  });
});
