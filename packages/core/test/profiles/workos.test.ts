// Tokens in the shape WorkOS documents:
// https://workos.com/docs/authkit/connect/token-claims (iss = AuthKit domain, aud = the MCP
// resource indicator, sub, client_id, org_id, sid, scope, jti, exp, iat) and
// https://workos.com/docs/reference/authkit/oauth-resource (resource indicators).
import { createIdpKeysStandIn, type IdpKeysStandIn } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrmkitConfigError, profiles } from '../../src/index.js';
import { now, RESOURCE, serverFor } from './helpers.js';

const ISS = 'https://example.authkit.app';
const KEYS = `${ISS}/oauth2/jwks`;
let keys: IdpKeysStandIn;
beforeAll(async () => {
  keys = await createIdpKeysStandIn([KEYS]);
});
afterAll(() => keys.close());

const token = (extra: Record<string, unknown> = {}) =>
  keys.mint(
    {
      iss: ISS,
      aud: RESOURCE,
      sub: 'user_01HBEQKA6K4QJAS93VPE39W1JT',
      client_id: 'client_01JTXQ8V4Y0Z3R5M2N7P9K1L6H',
      org_id: 'org_01HRDMC6CM357W30QMHMQ96Q0S',
      sid: 'authkit_consent_01JTXQ8V4Y0Z3R5M2N7P9K1L6H',
      scope: 'openid mcp:tools',
      jti: '01HQSXZXPPFPKMDD32RKTFY6PV',
      exp: now() + 300,
      iat: now(),
      ...extra,
    },
    { typ: 'JWT' },
  );

describe('profiles.workos', () => {
  it('accepts a token whose aud is the resource indicator, exactly', async () => {
    const { decide } = serverFor(profiles.workos({ domain: 'example.authkit.app' }), keys);
    const { code, auth } = await decide(await token());
    expect(code).toBe('ok');
    expect(auth).toMatchObject({
      clientId: 'client_01JTXQ8V4Y0Z3R5M2N7P9K1L6H',
      scopes: ['openid', 'mcp:tools'],
    });
    expect(keys.requested).toContain(KEYS);
  });

  it('refuses the environment client id as audience, a trailing slash, and no client_id', async () => {
    const { decide } = serverFor(profiles.workos({ domain: 'example.authkit.app' }), keys);
    expect((await decide(await token({ aud: 'client_01ENVIRONMENT' }))).code).toBe(
      'audience_mismatch',
    );
    expect((await decide(await token({ aud: `${RESOURCE}/` }))).code).toBe('audience_mismatch');
    expect((await decide(await token({ client_id: undefined }))).code).toBe('claim_missing');
  });

  it('refuses a domain with a scheme', () => {
    expect(() => profiles.workos({ domain: 'https://example.authkit.app' })).toThrow(
      PrmkitConfigError,
    );
  });
});
