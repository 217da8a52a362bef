// GitHub tokens are opaque; the only check is the user API. Answers in the documented shape:
// https://docs.github.com/en/rest/users/users#get-the-authenticated-user (user object; 401
// "Bad credentials") and https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
// (X-OAuth-Scopes header); expiring tokens carry github-authentication-token-expiration.
import { startGithubUserApi, type OpaqueAnswer, type OpaqueTokenStandIn } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrmkitConfigError, profiles } from '../../src/index.js';
import { serverFor } from './helpers.js';

const user = {
  login: 'octocat',
  id: 1,
  node_id: 'MDQ6VXNlcjE=',
  type: 'User',
  site_admin: false,
  name: 'monalisa octocat',
};
let api: OpaqueTokenStandIn;
beforeAll(async () => {
  api = await startGithubUserApi(
    new Map<string, OpaqueAnswer>([
      ['gho_good', { status: 200, body: user, headers: { 'x-oauth-scopes': 'repo, read:user' } }],
      [
        'ghu_expiring',
        {
          status: 200,
          body: user,
          headers: { 'github-authentication-token-expiration': '2099-01-01 12:00:00 UTC' },
        },
      ],
      ['gho_rate_limited', { status: 403, body: { message: 'API rate limit exceeded' } }],
      ['gho_not_a_user', { status: 200, body: { message: 'hello' } }],
    ]),
  );
});
afterAll(() => api.close());

const fragment = () =>
  profiles.github({
    acknowledge: 'tokens-are-not-audience-bound',
    endpoint: api.url,
    allowHttp: 'loopback',
  });

describe('profiles.github', () => {
  it('refuses to build without the explicit acknowledgement, and says why', () => {
    // @ts-expect-error the acknowledgement is required
    expect(() => profiles.github({})).toThrow(PrmkitConfigError);
    expect(() =>
      profiles.github({ acknowledge: 'yes' as 'tokens-are-not-audience-bound' }),
    ).toThrow(/carry no audience/);
  });

  it('accepts a token the user API knows: sub is the user id, scopes from X-OAuth-Scopes', async () => {
    const { code, auth } = await serverFor(fragment()).decide('gho_good');
    expect(code).toBe('ok');
    expect(auth).toMatchObject({
      subject: '1',
      scopes: ['repo', 'read:user'],
      issuer: 'https://github.com/login/oauth',
      clientId: undefined,
    });
    expect(auth?.claims.login).toBe('octocat');
    const lookup = api.lookups.at(-1)!;
    expect(lookup).toMatchObject({ method: 'GET', path: '/user' });
    expect(lookup.headers.authorization).toBe('Bearer gho_good');
    expect(lookup.headers['user-agent']).toBeTruthy();
  });

  it('an expiring token keeps its expiry', async () => {
    const { auth } = await serverFor(fragment()).decide('ghu_expiring');
    expect(auth?.expiresAt).toBe(Date.UTC(2099, 0, 1, 12) / 1000);
  });

  it('refuses unknown tokens and fails closed on a rate limit or an odd answer', async () => {
    const { decide } = serverFor(fragment());
    expect((await decide('gho_unknown')).code).toBe('token_inactive');
    expect((await decide('gho_rate_limited')).code).toBe('verifier_failed');
    expect((await decide('gho_not_a_user')).code).toBe('verifier_failed');
  });
});
