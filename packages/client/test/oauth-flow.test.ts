import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import { MemoryCredentialStore, createAuthFetch } from '@prmkit/client';
import { followAuthorizationRedirects } from '@prmkit/testing';
import type { AuthFetchOptions } from '@prmkit/client';
import { REDIRECT, fixtureAs, fixtureRs, rejection } from './helpers.js';

const interactive = (extra: Partial<AuthFetchOptions> = {}): AuthFetchOptions => ({
  allowHttp: 'loopback',
  redirectUri: REDIRECT,
  openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT }),
  ...extra,
});

describe('authorization code + PKCE + RFC 8707 via createAuthFetch', () => {
  it('discovers, registers (RFC 7591), authorizes with S256/state/resource, exchanges and retries', async () => {
    const as = await fixtureAs();
    const rs = await fixtureRs({ as });
    const f = createAuthFetch(interactive());
    const res = await f(rs.url, {
      method: 'POST',
      body: '{"hello":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { echo: string; scopes: string[] };
    expect(body.echo).toBe('{"hello":1}');
    expect(body.scopes).toEqual(['read', 'write']);

    const register = as.requests.find((r) => r.path === '/register');
    expect(JSON.parse(register?.body ?? '{}')).toMatchObject({
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'native',
    });
    const authorize = new URL(as.requests.find((r) => r.path === '/authorize')?.url ?? '');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('resource')).toBe(rs.url);
    expect(authorize.searchParams.get('scope')).toBe('read write');
    const token = new URLSearchParams(as.requests.find((r) => r.path === '/token')?.body);
    expect(token.get('resource')).toBe(rs.url);
    expect(token.get('code_verifier')).toMatch(/^[\w-]{43}$/);
    expect(as.requests.find((r) => r.path === '/token')?.headers['authorization']).toMatch(
      /^Basic /,
    );
    // the retried request carried the token; the first did not
    expect(
      rs.requests.filter((r) => r.path === '/mcp').map((r) => r.authorization?.slice(0, 6)),
    ).toEqual([undefined, 'Bearer']);

    // a second call reuses the token: no new authorization
    expect((await f(rs.url)).status).toBe(200);
    expect(as.requests.filter((r) => r.path === '/authorize')).toHaveLength(1);
  });

  it('omits resource only when told to', async () => {
    const as = await fixtureAs();
    const rs = await fixtureRs({ as });
    const f = createAuthFetch(interactive({ resourceParameter: 'omit' }));
    // the fixture RS requires aud = resource, so a token without resource is refused: second 401 → error
    const e = await rejection(f(rs.url));
    expect(e.code).toBe('unauthorized_after_token');
    const authorize = new URL(as.requests.find((r) => r.path === '/authorize')?.url ?? '');
    expect(authorize.searchParams.has('resource')).toBe(false);
  });

  it('refuses an AS without S256, or without the list unless pkce is assume-s256', async () => {
    const plain = await fixtureAs({
      metadata: () => ({ code_challenge_methods_supported: ['plain'] }),
    });
    expect(
      (await rejection(createAuthFetch(interactive())((await fixtureRs({ as: plain })).url))).code,
    ).toBe('pkce_unsupported');
    const silent = await fixtureAs({
      metadata: () => ({ code_challenge_methods_supported: undefined }),
    });
    const rs = await fixtureRs({ as: silent });
    expect((await rejection(createAuthFetch(interactive())(rs.url))).code).toBe('pkce_unsupported');
    expect(silent.requests.some((r) => r.path === '/authorize')).toBe(false);
    expect((await createAuthFetch(interactive({ pkce: 'assume-s256' }))(rs.url)).status).toBe(200);
  });

  it('refuses an authorization response with the wrong iss (RFC 9207), before using the code', async () => {
    const as = await fixtureAs({ issInRedirect: 'wrong' });
    const e = await rejection(createAuthFetch(interactive())((await fixtureRs({ as })).url));
    expect(e.code).toBe('iss_mismatch');
    expect(as.requests.some((r) => r.path === '/token')).toBe(false);
  });

  it('requires iss when the AS advertises it', async () => {
    const as = await fixtureAs({ issInRedirect: 'omit' });
    expect(
      (await rejection(createAuthFetch(interactive())((await fixtureRs({ as })).url))).code,
    ).toBe('iss_missing');
    const quiet = await fixtureAs({
      issInRedirect: 'omit',
      metadata: () => ({ authorization_response_iss_parameter_supported: undefined }),
    });
    expect(
      (await createAuthFetch(interactive())((await fixtureRs({ as: quiet })).url)).status,
    ).toBe(200);
  });

  it('refuses a state mismatch', async () => {
    const as = await fixtureAs({ stateInRedirect: 'forged' });
    const e = await rejection(createAuthFetch(interactive())((await fixtureRs({ as })).url));
    expect(e.code).toBe('state_mismatch');
    expect(as.requests.some((r) => r.path === '/token')).toBe(false);
  });

  it('needs a user-facing step for the code grant', async () => {
    const as = await fixtureAs();
    const e = await rejection(
      createAuthFetch({ allowHttp: 'loopback' })((await fixtureRs({ as })).url),
    );
    expect(e.code).toBe('interaction_required');
  });
});

describe('client identity', () => {
  it('pre-registered client_secret_basic / client_secret_post / none', async () => {
    for (const authMethod of ['client_secret_basic', 'client_secret_post', 'none'] as const) {
      const secret = authMethod === 'none' ? undefined : 's3cr:et';
      const as = await fixtureAs({
        clients: [{ clientId: 'pre', authMethod, ...(secret ? { secret } : {}) }],
      });
      const rs = await fixtureRs({ as });
      const f = createAuthFetch(
        interactive({
          client: { clientId: 'pre', clientSecret: secret, tokenEndpointAuthMethod: authMethod },
        }),
      );
      expect((await f(rs.url)).status).toBe(200);
      const token = as.requests.find((r) => r.path === '/token');
      const form = new URLSearchParams(token?.body);
      expect(as.requests.some((r) => r.path === '/register')).toBe(false);
      if (authMethod === 'client_secret_basic') {
        expect(token?.headers['authorization']).toBe(
          `Basic ${Buffer.from('pre:s3cr%3Aet').toString('base64')}`,
        );
        expect(form.has('client_secret')).toBe(false);
      } else if (authMethod === 'client_secret_post') {
        expect(form.get('client_secret')).toBe('s3cr:et');
        expect(token?.headers['authorization']).toBeUndefined();
      } else {
        expect(form.get('client_id')).toBe('pre');
        expect(form.has('client_secret')).toBe(false);
      }
    }
  });

  it('chooses post when the AS does not support basic', async () => {
    const as = await fixtureAs({
      clients: [{ clientId: 'pre', authMethod: 'client_secret_post', secret: 'x' }],
      metadata: () => ({ token_endpoint_auth_methods_supported: ['client_secret_post'] }),
    });
    const f = createAuthFetch(interactive({ client: { clientId: 'pre', clientSecret: 'x' } }));
    expect((await f((await fixtureRs({ as })).url)).status).toBe(200);
  });

  it('uses a Client ID Metadata Document when the AS advertises support', async () => {
    const as = await fixtureAs({
      metadata: () => ({ client_id_metadata_document_supported: true }),
    });
    const rs = await fixtureRs({ as });
    const cimd = 'https://client.example.com/oauth/metadata.json';
    const f = createAuthFetch(interactive({ clientMetadataUrl: cimd }));
    expect((await f(rs.url)).status).toBe(200);
    expect(
      new URL(as.requests.find((r) => r.path === '/authorize')?.url ?? '').searchParams.get(
        'client_id',
      ),
    ).toBe(cimd);
    expect(as.requests.some((r) => r.path === '/register')).toBe(false);
  });

  it('says what to configure when no identity is possible', async () => {
    const as = await fixtureAs({ metadata: () => ({ registration_endpoint: undefined }) });
    const e = await rejection(createAuthFetch(interactive())((await fixtureRs({ as })).url));
    expect(e.code).toBe('client_registration_unavailable');
    expect(e.message).toMatch(/clientId/);
  });

  it('client credentials with private_key_jwt (RFC 7523), resource included', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const as = await fixtureAs({
      clients: [
        {
          clientId: 'svc',
          authMethod: 'private_key_jwt',
          publicJwk: { ...(await exportJWK(publicKey)), alg: 'ES256' },
        },
      ],
    });
    const rs = await fixtureRs({ as });
    const f = createAuthFetch({
      allowHttp: 'loopback',
      grant: 'client_credentials',
      client: { clientId: 'svc', privateKey },
    });
    expect((await f(rs.url)).status).toBe(200);
    const form = new URLSearchParams(as.requests.find((r) => r.path === '/token')?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('resource')).toBe(rs.url);
    expect(form.get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    expect(as.requests.some((r) => r.path === '/authorize')).toBe(false);
  });

  it('client credentials with a PEM key and with a wrong key', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const { exportPKCS8 } = await import('jose');
    const pem = await exportPKCS8(privateKey);
    const as = await fixtureAs({
      clients: [
        {
          clientId: 'svc',
          authMethod: 'private_key_jwt',
          publicJwk: { ...(await exportJWK(publicKey)), alg: 'ES256' },
        },
      ],
    });
    const rs = await fixtureRs({ as });
    const ok = createAuthFetch({
      allowHttp: 'loopback',
      grant: 'client_credentials',
      client: { clientId: 'svc', privateKey: pem, signingAlgorithm: 'ES256' },
    });
    expect((await ok(rs.url)).status).toBe(200);
    const other = await generateKeyPair('ES256');
    const bad = createAuthFetch({
      allowHttp: 'loopback',
      grant: 'client_credentials',
      client: { clientId: 'svc', privateKey: other.privateKey },
    });
    const e = await rejection(bad(rs.url));
    expect(e.code).toBe('token_request_failed');
    expect(e.oauthError).toBe('invalid_client');
  });

  it('client credentials without a pre-registered client is a clear error', async () => {
    const as = await fixtureAs();
    const e = await rejection(
      createAuthFetch({ allowHttp: 'loopback', grant: 'client_credentials' })(
        (await fixtureRs({ as })).url,
      ),
    );
    expect(e.code).toBe('client_registration_unavailable');
  });
});

describe('tokens over time', () => {
  it('refreshes an expiring token with the same resource and keeps the refresh token', async () => {
    const as = await fixtureAs({ expiresIn: 5 }); // inside the 30 s skew: refreshed on next use
    const rs = await fixtureRs({ as });
    const f = createAuthFetch(interactive());
    expect((await f(rs.url)).status).toBe(200);
    expect((await f(rs.url)).status).toBe(200);
    const refreshes = as.requests.filter(
      (r) => r.path === '/token' && r.body.includes('grant_type=refresh_token'),
    );
    expect(refreshes).toHaveLength(1);
    expect(new URLSearchParams(refreshes[0]?.body).get('resource')).toBe(rs.url);
    expect(as.requests.filter((r) => r.path === '/authorize')).toHaveLength(1);
  });

  it('falls back to a full authorization when the refresh token is rejected (invalid_grant)', async () => {
    const as = await fixtureAs({ expiresIn: 5 });
    const rs = await fixtureRs({ as });
    const f = createAuthFetch(interactive());
    expect((await f(rs.url)).status).toBe(200);
    as.revokeRefreshTokens();
    expect((await f(rs.url)).status).toBe(200);
    expect(as.requests.filter((r) => r.path === '/authorize')).toHaveLength(2);
  });

  it('keeps the refresh token through a token endpoint outage (only invalid_grant drops it)', async () => {
    const as = await fixtureAs({ expiresIn: 5 });
    const rs = await fixtureRs({ as });
    const f = createAuthFetch(interactive());
    expect((await f(rs.url)).status).toBe(200);
    const firstRefresh = () =>
      as.requests.filter((r) => r.path === '/token' && r.body.includes('grant_type=refresh_token'));
    as.setTokenEndpointDown(true);
    // The refresh fails (503, no OAuth error); the not-yet-expired access token still works.
    expect((await f(rs.url)).status).toBe(200);
    as.setTokenEndpointDown(false);
    expect((await f(rs.url)).status).toBe(200);
    const refreshes = firstRefresh();
    // The same refresh token was tried during the outage and used again after it.
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    const token = (r: { body: string }) => new URLSearchParams(r.body).get('refresh_token');
    expect(token(refreshes.at(-1)!)).toBe(token(refreshes[0]!));
  });

  it('step-up: 403 insufficient_scope → re-authorize with the union of scopes', async () => {
    const as = await fixtureAs();
    let required: string[] = [];
    const rs = await fixtureRs({ as, requiredScopes: () => required });
    const f = createAuthFetch(interactive());
    expect((await f(rs.url)).status).toBe(200);
    required = ['read', 'admin'];
    const res = await f(rs.url);
    expect(res.status).toBe(200);
    const authorizes = as.requests
      .filter((r) => r.path === '/authorize')
      .map((r) => new URL(r.url).searchParams.get('scope'));
    expect(authorizes).toEqual(['read write', 'read write admin']);
  });

  it('step-up gives up after 3 authorizations', async () => {
    const as = await fixtureAs({ grant: () => 'read' }); // never grants admin
    const rs = await fixtureRs({ as, requiredScopes: () => ['admin'] });
    const e = await rejection(createAuthFetch(interactive())(rs.url));
    expect(e.code).toBe('step_up_limit');
    expect(as.requests.filter((r) => r.path === '/authorize')).toHaveLength(3);
  });

  it('a second 401 right after a fresh token is an error, not a loop', async () => {
    const as = await fixtureAs();
    const rs = await fixtureRs({
      as,
      before: (req, res, origin) => {
        if (req.url === '/mcp') {
          res
            .writeHead(401, {
              'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
            })
            .end();
          return true;
        }
        return false;
      },
    });
    const e = await rejection(createAuthFetch(interactive())(rs.url));
    expect(e.code).toBe('unauthorized_after_token');
    expect(as.requests.filter((r) => r.path === '/authorize')).toHaveLength(1);
    expect(rs.requests.filter((r) => r.path === '/mcp')).toHaveLength(2);
  });

  it('credentials of one issuer are never sent to another', async () => {
    const as1 = await fixtureAs();
    const as2 = await fixtureAs();
    let current = as1;
    const rs = await fixtureRs({ currentAs: () => current, prmCacheControl: 'no-store' });
    const store = new MemoryCredentialStore();
    const f = createAuthFetch(interactive({ store }));
    expect((await f(rs.url)).status).toBe(200);
    const as1Secrets = as1.requests
      .filter((r) => r.path === '/token' || r.path === '/register')
      .flatMap((r) => [r.body, String(r.headers['authorization'] ?? '')]);
    const as1Client = [...as1.clients.keys()][0] ?? 'none';
    const refresh =
      new URLSearchParams(as1.requests.find((r) => r.path === '/token')?.body).get('code') ?? '';
    expect(as1Secrets.length).toBeGreaterThan(0);

    current = as2; // the resource moves to another AS: its tokens from as1 are refused
    expect((await f(rs.url)).status).toBe(200);
    const as2Traffic = as2.requests
      .map((r) => `${r.url} ${r.body} ${String(r.headers['authorization'] ?? '')}`)
      .join('\n');
    expect(as2Traffic).not.toContain(as1Client);
    expect(as2Traffic).not.toContain(refresh);
    expect(as2.requests.some((r) => r.path === '/register')).toBe(true);
    expect(await store.get({ resource: rs.url, issuer: as1.issuer })).toBeDefined();
    expect((await store.get({ resource: rs.url, issuer: as2.issuer }))?.tokens).toBeDefined();
  });

  it('a rejected token re-reads cached metadata: an AS switch is noticed (SEP-2352)', async () => {
    const as1 = await fixtureAs();
    const as2 = await fixtureAs();
    let current = as1;
    // Cacheable PRM: without a re-read the client would keep authorizing at as1.
    const rs = await fixtureRs({ currentAs: () => current, prmCacheControl: 'max-age=3600' });
    const f = createAuthFetch(interactive());
    expect((await f(rs.url)).status).toBe(200);
    expect((await f(rs.url)).status).toBe(200);
    const prmReads = () =>
      rs.requests.filter((r) => r.path.startsWith('/.well-known/oauth-protected-resource')).length;
    expect(prmReads()).toBe(1); // cached while the token is accepted

    current = as2;
    expect((await f(rs.url)).status).toBe(200);
    expect(prmReads()).toBe(2);
    expect(as2.requests.some((r) => r.path === '/register')).toBe(true);
    expect(as2.requests.some((r) => r.path === '/token')).toBe(true);
    expect(as1.requests.filter((r) => r.path === '/authorize')).toHaveLength(1);
  });

  it('sends the token only to the origin of its resource', async () => {
    const as = await fixtureAs();
    const rs = await fixtureRs({ as });
    const other = await fixtureRs({});
    const f = createAuthFetch(interactive());
    expect((await f(rs.url)).status).toBe(200);
    await f(`${other.origin}/elsewhere`);
    expect(other.requests.every((r) => r.authorization === undefined)).toBe(true);
  });
});
