import { describe, expect, it } from 'vitest';
import { createAuthFetch } from '@prmkit/client';
import { followAuthorizationRedirects } from '@prmkit/testing';
import { REDIRECT, fixtureAs, fixtureRs, rejection } from './helpers.js';

// A pre-registered client belongs to one authorization server: a protected resource that
// names another one must not receive its secret (RFC 9728 §7.6, SEP-2352; README: "a
// token or registration from one authorization server never goes to another").
describe('a pre-registered client is bound to one authorization server', () => {
  it('client credentials: the secret never reaches a second issuer named by another server', async () => {
    const good = await fixtureAs({
      clients: [{ clientId: 'svc', authMethod: 'client_secret_post', secret: 'top-secret' }],
    });
    const evil = await fixtureAs({
      clients: [{ clientId: 'svc', authMethod: 'client_secret_post', secret: 'whatever' }],
    });
    const goodRs = await fixtureRs({ as: good });
    const evilRs = await fixtureRs({ as: evil });
    const f = createAuthFetch({
      allowHttp: 'loopback',
      grant: 'client_credentials',
      client: {
        clientId: 'svc',
        clientSecret: 'top-secret',
        tokenEndpointAuthMethod: 'client_secret_post',
      },
    });
    expect((await f(goodRs.url)).status).toBe(200);
    const e = await rejection(f(evilRs.url));
    expect(e.code).toBe('client_registration_unavailable');
    expect(e.message).toContain(good.issuer);
    expect(evil.requests.filter((r) => r.path === '/token')).toHaveLength(0);
    expect(JSON.stringify(evil.requests)).not.toContain('top-secret');
  });

  it('an explicit client.issuer is enforced from the first request', async () => {
    const good = await fixtureAs({
      clients: [{ clientId: 'svc', authMethod: 'client_secret_basic', secret: 'top-secret' }],
    });
    const evil = await fixtureAs({
      clients: [{ clientId: 'svc', authMethod: 'client_secret_basic', secret: 'whatever' }],
    });
    const evilRs = await fixtureRs({ as: evil });
    const f = createAuthFetch({
      allowHttp: 'loopback',
      redirectUri: REDIRECT,
      openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT }),
      client: { clientId: 'svc', clientSecret: 'top-secret', issuer: good.issuer },
    });
    const e = await rejection(f(evilRs.url));
    expect(e.code).toBe('client_registration_unavailable');
    expect(evil.requests.some((r) => r.path === '/token' || r.path === '/authorize')).toBe(false);
    // ...and it works with its own server.
    expect((await f((await fixtureRs({ as: good })).url)).status).toBe(200);
  });
});
