// Google access tokens are opaque; the resource asks the token-info endpoint. Answers in the
// documented shape (string exp/expires_in, aud and azp = OAuth client id, sub, scope, email):
// https://developers.google.com/identity/protocols/oauth2/openid-connect and
// https://developers.google.com/identity/sign-in/web/backend-auth (token-info, invalid_token 400).
import { startGoogleTokenInfo, type OpaqueAnswer, type OpaqueTokenStandIn } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrmkitConfigError, profiles } from '../../src/index.js';
import { now, serverFor } from './helpers.js';

const CLIENT = '407408718192-abc123.apps.googleusercontent.com';
const OTHER = '1234567890-other.apps.googleusercontent.com';
const info = (extra: Record<string, unknown> = {}): OpaqueAnswer => ({
  status: 200,
  body: {
    azp: CLIENT,
    aud: CLIENT,
    sub: '110169484474386276334',
    scope: 'openid https://www.googleapis.com/auth/userinfo.email',
    exp: String(now() + 3599),
    expires_in: '3599',
    email: 'alice@example.com',
    email_verified: 'true',
    access_type: 'online',
    ...extra,
  },
});
let endpoint: OpaqueTokenStandIn;
beforeAll(async () => {
  endpoint = await startGoogleTokenInfo(
    new Map<string, OpaqueAnswer>([
      ['ya29.good', info()],
      ['ya29.other-client', info({ aud: OTHER, azp: OTHER })],
      ['ya29.azp-mismatch', info({ azp: OTHER })],
      ['ya29.expired', info({ exp: String(now() - 5), expires_in: '0' })],
      ['ya29.no-sub', info({ sub: undefined })],
      ['ya29.broken', { status: 500, body: { error: 'internal' } }],
    ]),
  );
});
afterAll(() => endpoint.close());

const server = () =>
  serverFor(
    profiles.google({ clientIds: [CLIENT], endpoint: endpoint.url, allowHttp: 'loopback' }),
  );

describe('profiles.google', () => {
  it('accepts a token the token-info endpoint names for our client; the token goes in a POST body', async () => {
    const { code, auth } = await server().decide('ya29.good');
    expect(code).toBe('ok');
    expect(auth).toMatchObject({
      subject: '110169484474386276334',
      clientId: CLIENT,
      issuer: 'https://accounts.google.com',
      scopes: ['openid', 'https://www.googleapis.com/auth/userinfo.email'],
    });
    const lookup = endpoint.lookups.at(-1)!;
    expect(lookup).toMatchObject({ method: 'POST', path: '/tokeninfo' });
    expect(lookup.body).toBe('access_token=ya29.good');
  });

  it('refuses another client (aud or azp), an expired or unknown token, and one without sub', async () => {
    const { decide } = server();
    expect((await decide('ya29.other-client')).code).toBe('audience_mismatch');
    expect((await decide('ya29.azp-mismatch')).code).toBe('claim_invalid');
    expect((await decide('ya29.expired')).code).toBe('token_expired');
    expect((await decide('ya29.unknown')).code).toBe('token_inactive');
    expect((await decide('ya29.no-sub')).code).toBe('claim_missing');
  });

  it('fails closed when Google answers an error', async () => {
    const { rs } = server();
    const r = await rs.authorize({
      method: 'GET',
      url: '/mcp',
      headers: { authorization: 'Bearer ya29.broken' },
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('verifier_failed');
  });

  it('reuses a validated answer within recheckAfter', async () => {
    const { decide } = server();
    const before = endpoint.lookups.length;
    await decide('ya29.good');
    await decide('ya29.good');
    expect(endpoint.lookups.length - before).toBe(1);
  });

  it('refuses options without client ids or with an insecure endpoint', () => {
    expect(() => profiles.google({ clientIds: [] })).toThrow(PrmkitConfigError);
    expect(() => profiles.google({ clientIds: [CLIENT], endpoint: endpoint.url })).toThrow(
      /profiles\.google\.endpoint/,
    );
  });
});
