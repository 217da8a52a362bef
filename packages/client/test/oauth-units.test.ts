import { describe, expect, it } from 'vitest';
import {
  MemoryCredentialStore,
  assertPkceS256,
  authorizationServerMetadataUrls,
  createAuthFetch,
  createAuthorizationRequest,
  createPkce,
  parseAuthorizationResponse,
  parseTokenResponse,
  protectedResourceMetadataCandidates,
} from '@prmkit/client';
import type { AuthorizationServerMetadata, ClientError } from '@prmkit/client';
import { followAuthorizationRedirects } from '@prmkit/testing';
import { createHash } from 'node:crypto';
import { REDIRECT, fixtureAs, fixtureRs, rejection } from './helpers.js';

const meta: AuthorizationServerMetadata = {
  issuer: 'https://as.example.com',
  authorization_endpoint: 'https://as.example.com/authorize',
  token_endpoint: 'https://as.example.com/token',
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
};
const expected = { state: 'st', issuer: 'https://as.example.com', metadata: meta };
const cb = (q: string): string => `http://127.0.0.1/cb?${q}`;
const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as ClientError).code;
  }
  return undefined;
};

describe('authorization response (RFC 9207, OAuth 2.1 §4.1.2)', () => {
  it('accepts a matching iss and state', () => {
    expect(
      parseAuthorizationResponse(cb('code=c&state=st&iss=https%3A%2F%2Fas.example.com'), expected),
    ).toEqual({ code: 'c' });
  });
  it('checks iss before reading error, and state before error', () => {
    expect(
      code(() =>
        parseAuthorizationResponse(
          cb('error=access_denied&state=st&iss=https%3A%2F%2Fevil'),
          expected,
        ),
      ),
    ).toBe('iss_mismatch');
    expect(
      code(() =>
        parseAuthorizationResponse(
          cb('error=access_denied&state=x&iss=https%3A%2F%2Fas.example.com'),
          expected,
        ),
      ),
    ).toBe('state_mismatch');
    const denied = (() => {
      try {
        parseAuthorizationResponse(
          cb('error=access_denied&state=st&iss=https%3A%2F%2Fas.example.com'),
          expected,
        );
      } catch (e) {
        return e as ClientError;
      }
      return undefined;
    })();
    expect(denied?.code).toBe('authorization_denied');
    expect(denied?.oauthError).toBe('access_denied');
  });
  it('compares iss exactly (no trailing-slash leniency)', () => {
    expect(
      code(() =>
        parseAuthorizationResponse(
          cb('code=c&state=st&iss=https%3A%2F%2Fas.example.com%2F'),
          expected,
        ),
      ),
    ).toBe('iss_mismatch');
  });
  it('reads a fragment response and requires a code', () => {
    expect(
      parseAuthorizationResponse(
        'http://127.0.0.1/cb#code=f&state=st&iss=https%3A%2F%2Fas.example.com',
        expected,
      ),
    ).toEqual({ code: 'f' });
    expect(
      code(() =>
        parseAuthorizationResponse(cb('state=st&iss=https%3A%2F%2Fas.example.com'), expected),
      ),
    ).toBe('authorization_response_invalid');
  });
});

describe('PKCE and the authorization request', () => {
  it('S256 challenge is the base64url SHA-256 of a 43-char verifier', async () => {
    const { verifier, challenge, method } = await createPkce();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(method).toBe('S256');
  });
  it('refuses plain-only and absent lists unless opted in', () => {
    expect(
      code(() => assertPkceS256({ ...meta, code_challenge_methods_supported: ['plain'] })),
    ).toBe('pkce_unsupported');
    const { code_challenge_methods_supported: _omit, ...silent } = meta;
    expect(code(() => assertPkceS256(silent))).toBe('pkce_unsupported');
    expect(code(() => assertPkceS256(silent, 'assume-s256'))).toBeUndefined();
  });
  it('puts resource, scope, state and S256 in the URL and refuses a javascript: endpoint', async () => {
    const req = await createAuthorizationRequest({
      metadata: meta,
      clientId: 'c',
      redirectUri: REDIRECT,
      scopes: ['a', 'b'],
      resource: 'https://mcp.example.com/mcp',
    });
    expect(req.url.searchParams.get('resource')).toBe('https://mcp.example.com/mcp');
    expect(req.url.searchParams.get('scope')).toBe('a b');
    expect(req.url.searchParams.get('state')).toBe(req.state);
    await expect(
      createAuthorizationRequest({
        metadata: { ...meta, authorization_endpoint: 'javascript:alert(1)' },
        clientId: 'c',
        redirectUri: REDIRECT,
      }),
    ).rejects.toMatchObject({ code: 'insecure_url' });
  });
});

describe('well-known URL construction', () => {
  it('never adds a slash and keeps the query', () => {
    expect(protectedResourceMetadataCandidates(new URL('https://x.example/mcp?t=1'))[0]).toEqual({
      url: 'https://x.example/.well-known/oauth-protected-resource/mcp?t=1',
      resource: 'https://x.example/mcp?t=1',
    });
    expect(protectedResourceMetadataCandidates(new URL('https://x.example/'))).toEqual([
      {
        url: 'https://x.example/.well-known/oauth-protected-resource',
        resource: 'https://x.example',
      },
    ]);
    expect(authorizationServerMetadataUrls(new URL('https://as.example/t/'))).toEqual([
      'https://as.example/.well-known/oauth-authorization-server/t',
      'https://as.example/.well-known/openid-configuration/t',
      'https://as.example/t/.well-known/openid-configuration',
    ]);
  });
});

describe('token responses', () => {
  it('requires access_token and a Bearer token_type', () => {
    expect(code(() => parseTokenResponse({ token_type: 'Bearer' }))).toBe('token_response_invalid');
    expect(code(() => parseTokenResponse({ access_token: 'a', token_type: 'mac' }))).toBe(
      'token_response_invalid',
    );
    const t = parseTokenResponse({
      access_token: 'a',
      token_type: 'bearer',
      expires_in: 60,
      scope: 'x y',
    });
    expect(t.scopes).toEqual(['x', 'y']);
    expect(t.expiresAt).toBeGreaterThan(Date.now());
  });
});

describe('createAuthFetch behaviour', () => {
  it('parallel 401s share one authorization', async () => {
    const as = await fixtureAs();
    const rs = await fixtureRs({ as });
    const f = createAuthFetch({
      allowHttp: 'loopback',
      redirectUri: REDIRECT,
      openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT }),
    });
    const results = await Promise.all([f(rs.url), f(rs.url), f(rs.url)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(as.requests.filter((r) => r.path === '/authorize')).toHaveLength(1);
  });

  it('dynamic registration requests none when that is all the AS supports', async () => {
    const as = await fixtureAs({
      metadata: () => ({ token_endpoint_auth_methods_supported: ['none'] }),
    });
    const rs = await fixtureRs({ as });
    const f = createAuthFetch({
      allowHttp: 'loopback',
      redirectUri: REDIRECT,
      openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT }),
    });
    expect((await f(rs.url)).status).toBe(200);
    expect(
      JSON.parse(as.requests.find((r) => r.path === '/register')?.body ?? '{}')[
        'token_endpoint_auth_method'
      ],
    ).toBe('none');
    expect(as.requests.find((r) => r.path === '/token')?.headers['authorization']).toBeUndefined();
  });

  it('invalid_client at the token endpoint drops the stored registration', async () => {
    const as = await fixtureAs();
    const rs = await fixtureRs({ as });
    const store = new MemoryCredentialStore();
    const f = createAuthFetch({
      allowHttp: 'loopback',
      store,
      redirectUri: REDIRECT,
      openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT }),
    });
    expect((await f(rs.url)).status).toBe(200);
    const key = { resource: rs.url, issuer: as.issuer };
    const registered = (await store.get(key))?.client?.clientId;
    expect(registered).toBeDefined();
    // The AS rotated the client's secret: the stored registration is now invalid_client.
    const client = as.clients.get(registered ?? '');
    if (!client) throw new Error('fixture lost the client');
    as.clients.set(client.clientId, { ...client, secret: 'rotated' });
    await store.set(key, { client: (await store.get(key))?.client, tokens: undefined });
    const e = await rejection(
      createAuthFetch({
        allowHttp: 'loopback',
        store,
        redirectUri: REDIRECT,
        openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT }),
      })(rs.url),
    );
    expect(e.oauthError).toBe('invalid_client');
    expect((await store.get(key))?.client).toBeUndefined();
  });
});
