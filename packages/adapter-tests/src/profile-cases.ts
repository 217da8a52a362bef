// Identity provider profiles over HTTP, on every adapter. Tokens in the shapes the IdPs
// document (the pages are cited per profile below and in packages/core/test/profiles/).
import { type AuthorizeDecision, profiles, type ResourceServerConfig } from '@prmkit/core';
/** What an IdP profile returns: a configuration fragment. */
type ProfileFragment = ReturnType<(typeof profiles)['google']>;
import {
  createIdpKeysStandIn,
  freePort,
  type IdpKeysStandIn,
  type OpaqueAnswer,
  type OpaqueTokenStandIn,
  startGithubUserApi,
  startGoogleTokenInfo,
} from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterHarness, RunningServer } from './harness.js';
import { send } from './http.js';
import { bearerChallenge } from './expectations.js';

const now = (): number => Math.floor(Date.now() / 1000);
const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TID = '0b2a8f2c-1111-4a4a-9b9b-222233334444';
const APP = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
const ENTRA_CLIENT = '1950a258-227b-4e31-a9cf-717495945fc2';
const COGNITO_ISS = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123';
const GOOGLE_CLIENT = '407408718192-abc123.apps.googleusercontent.com';

/** One IdP: its profile, a token it would issue, and tokens that must be refused. */
interface ProfileCase {
  readonly name: string;
  readonly jwks?: string;
  fragment(opaque: { google: string; github: string }): ProfileFragment;
  /** Accepted; the 200 body must show this client id. */
  good(
    resource: string,
    mint: Mint,
  ): Promise<{ token: string; clientId: string | null; alias?: string }>;
  readonly refused: readonly {
    readonly name: string;
    token(resource: string, mint: Mint): Promise<string>;
  }[];
}
type Mint = IdpKeysStandIn['mint'];

const entraToken = (tid: string, extra: Record<string, unknown> = {}) => ({
  aud: APP,
  iss: `https://login.microsoftonline.com/${tid}/v2.0`,
  iat: now(),
  nbf: now(),
  exp: now() + 3600,
  azp: ENTRA_CLIENT,
  azpacr: '0',
  oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
  scp: 'mcp:tools',
  sub: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
  tid,
  ver: '2.0',
  ...extra,
});
const cognitoToken = (extra: Record<string, unknown> = {}) => ({
  sub: 'aaaaaaaa-bbbb-cccc-dddd-example',
  iss: COGNITO_ISS,
  version: 2,
  client_id: '1example23456789',
  token_use: 'access',
  scope: 'openid mcp:tools',
  auth_time: now(),
  exp: now() + 3600,
  iat: now(),
  jti: 'j',
  username: 'my-test-user',
  ...extra,
});

const CASES: readonly ProfileCase[] = [
  {
    // https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
    name: 'entra',
    jwks: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
    fragment: () => profiles.entra({ tenants: TID, applicationId: APP }),
    good: async (_r, mint) => ({
      token: await mint(entraToken(TID), { typ: 'JWT' }),
      clientId: ENTRA_CLIENT,
      alias: APP,
    }),
    refused: [
      { name: 'another tenant', token: (_r, mint) => mint(entraToken(OTHER_TID), { typ: 'JWT' }) },
      {
        name: 'a tid that contradicts iss',
        token: (_r, mint) => mint(entraToken(TID, { tid: OTHER_TID }), { typ: 'JWT' }),
      },
      {
        name: 'a v1 token on the v2 profile',
        token: (_r, mint) => mint(entraToken(TID, { ver: '1.0' }), { typ: 'JWT' }),
      },
      {
        name: 'a wrong alias',
        token: (_r, mint) => mint(entraToken(TID, { aud: 'api://other' }), { typ: 'JWT' }),
      },
      {
        name: 'an ID token',
        token: (_r, mint) =>
          mint(entraToken(TID, { azp: undefined, azpacr: undefined, scp: undefined, nonce: 'n' }), {
            typ: 'JWT',
          }),
      },
    ],
  },
  {
    // Multi-tenant with an allow-list: each tenant's issuer, tid checked against it.
    name: 'entra (multi-tenant allow-list)',
    jwks: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
    fragment: () => profiles.entra({ tenants: [OTHER_TID, TID], applicationId: APP }),
    good: async (_r, mint) => ({
      token: await mint(entraToken(TID), { typ: 'JWT' }),
      clientId: ENTRA_CLIENT,
      alias: APP,
    }),
    refused: [
      {
        name: 'a tenant not allowed',
        token: (_r, mint) =>
          mint(entraToken('9188040d-6c67-4c5b-b112-36a304b66dad'), { typ: 'JWT' }),
      },
    ],
  },
  {
    // https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles
    name: 'auth0',
    jwks: 'https://example.us.auth0.com/.well-known/jwks.json',
    fragment: () =>
      profiles.auth0({ domain: 'example.us.auth0.com', audience: 'https://api.example.com' }),
    good: async (_r, mint) => ({
      token: await mint(
        {
          iss: 'https://example.us.auth0.com/',
          sub: 'auth0|5f7c8ec7c33c6c004bbafe82',
          aud: ['https://api.example.com', 'https://example.us.auth0.com/userinfo'],
          iat: now(),
          exp: now() + 3600,
          scope: 'openid mcp:tools',
          client_id: 'auth0-client',
          jti: 'j',
        },
        { typ: 'at+jwt' },
      ),
      clientId: 'auth0-client',
      alias: 'https://api.example.com',
    }),
    refused: [
      {
        name: 'a userinfo-only token',
        token: (_r, mint) =>
          mint(
            {
              iss: 'https://example.us.auth0.com/',
              sub: 's',
              aud: 'https://example.us.auth0.com/userinfo',
              iat: now(),
              exp: now() + 60,
              scope: 'mcp:tools',
              client_id: 'c',
            },
            { typ: 'at+jwt' },
          ),
      },
    ],
  },
  {
    // https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/
    name: 'okta',
    jwks: 'https://example.okta.com/oauth2/default/v1/keys',
    fragment: () => profiles.okta({ issuer: 'https://example.okta.com/oauth2/default' }),
    good: async (resource, mint) => ({
      token: await mint(
        {
          ver: 1,
          jti: 'AT.x',
          iss: 'https://example.okta.com/oauth2/default',
          aud: resource,
          iat: now(),
          exp: now() + 3600,
          cid: '0oa1zg0ydqpdxOyKW0h7',
          uid: '00u1',
          scp: ['mcp:tools'],
          sub: 'john.doe@example.com',
        },
        { typ: null },
      ),
      clientId: '0oa1zg0ydqpdxOyKW0h7',
    }),
    refused: [
      {
        name: 'a token from the org authorization server',
        token: (resource, mint) =>
          mint(
            {
              ver: 1,
              iss: 'https://example.okta.com',
              aud: resource,
              iat: now(),
              exp: now() + 3600,
              cid: 'c',
              scp: ['mcp:tools'],
              sub: 's',
            },
            { typ: null },
          ),
      },
    ],
  },
  {
    // https://www.keycloak.org/docs/latest/server_admin/#audience-support
    name: 'keycloak',
    jwks: 'https://sso.example.com/realms/mcp/protocol/openid-connect/certs',
    fragment: () => profiles.keycloak({ issuer: 'https://sso.example.com/realms/mcp' }),
    good: async (resource, mint) => ({
      token: await mint(
        {
          exp: now() + 300,
          iat: now(),
          jti: 'j',
          iss: 'https://sso.example.com/realms/mcp',
          aud: [resource, 'account'],
          sub: 'alice-id',
          typ: 'Bearer',
          azp: 'mcp-client',
          scope: 'openid mcp:tools',
        },
        { typ: 'JWT' },
      ),
      clientId: 'mcp-client',
    }),
    refused: [
      {
        name: 'a token without the audience mapper',
        token: (_r, mint) =>
          mint(
            {
              exp: now() + 300,
              iat: now(),
              iss: 'https://sso.example.com/realms/mcp',
              aud: 'account',
              sub: 's',
              typ: 'Bearer',
              azp: 'c',
              scope: 'mcp:tools',
            },
            { typ: 'JWT' },
          ),
      },
      {
        name: 'an ID token',
        token: (resource, mint) =>
          mint(
            {
              exp: now() + 300,
              iat: now(),
              iss: 'https://sso.example.com/realms/mcp',
              aud: resource,
              sub: 's',
              typ: 'ID',
              azp: 'c',
              scope: 'mcp:tools',
            },
            { typ: 'JWT' },
          ),
      },
    ],
  },
  {
    // https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
    name: 'cognito',
    jwks: `${COGNITO_ISS}/.well-known/jwks.json`,
    fragment: () =>
      profiles.cognito({ userPoolId: 'us-east-1_AbCdEf123', clientIds: ['1example23456789'] }),
    good: async (_r, mint) => ({
      token: await mint(cognitoToken(), { typ: null }),
      clientId: '1example23456789',
    }),
    refused: [
      {
        name: 'a wrong client_id',
        token: (_r, mint) => mint(cognitoToken({ client_id: 'other' }), { typ: null }),
      },
      {
        name: 'token_use: id',
        token: (_r, mint) => mint(cognitoToken({ token_use: 'id' }), { typ: null }),
      },
    ],
  },
  {
    // https://workos.com/docs/authkit/connect/token-claims
    name: 'workos',
    jwks: 'https://example.authkit.app/oauth2/jwks',
    fragment: () => profiles.workos({ domain: 'example.authkit.app' }),
    good: async (resource, mint) => ({
      token: await mint(
        {
          iss: 'https://example.authkit.app',
          aud: resource,
          sub: 'user_01',
          client_id: 'client_01',
          scope: 'mcp:tools',
          jti: 'j',
          exp: now() + 300,
          iat: now(),
        },
        { typ: 'JWT' },
      ),
      clientId: 'client_01',
    }),
    refused: [
      {
        name: 'the environment client id as audience',
        token: (_r, mint) =>
          mint(
            {
              iss: 'https://example.authkit.app',
              aud: 'client_ENV',
              sub: 'user_01',
              client_id: 'client_01',
              scope: 'mcp:tools',
              exp: now() + 300,
              iat: now(),
            },
            { typ: 'JWT' },
          ),
      },
    ],
  },
  {
    // https://developers.google.com/identity/protocols/oauth2/openid-connect (token-info)
    name: 'google',
    fragment: (o) =>
      profiles.google({ clientIds: [GOOGLE_CLIENT], endpoint: o.google, allowHttp: 'loopback' }),
    good: async () => ({ token: 'ya29.good', clientId: GOOGLE_CLIENT }),
    refused: [
      { name: 'a token of another OAuth client', token: async () => 'ya29.other' },
      { name: 'an unknown token', token: async () => 'ya29.unknown' },
    ],
  },
  {
    // https://docs.github.com/en/rest/users/users#get-the-authenticated-user
    name: 'github',
    fragment: (o) =>
      profiles.github({
        acknowledge: 'tokens-are-not-audience-bound',
        endpoint: o.github,
        allowHttp: 'loopback',
      }),
    good: async () => ({ token: 'gho_good', clientId: null }),
    refused: [{ name: 'an unknown token', token: async () => 'gho_unknown' }],
  },
];

const googleAnswer = (aud: string): OpaqueAnswer => ({
  status: 200,
  body: {
    azp: aud,
    aud,
    sub: '110169484474386276334',
    scope: 'openid mcp:tools',
    exp: String(now() + 3600),
    expires_in: '3600',
    email: 'a@example.com',
    email_verified: 'true',
    access_type: 'online',
  },
});

/**
 * Each identity provider profile behind the adapter: the documented token shape is accepted
 * (and the 200 shows the profile's client id claim), the documented pitfalls are refused
 * with 401 `invalid_token`.
 *
 * @example
 * ```ts
 * describeProfileCases(harness);
 * ```
 * @see RFC 9068 §2.2, RFC 8707 §2, RFC 6750 §3.1
 */
export function describeProfileCases(harness: AdapterHarness): void {
  describe('identity provider profiles', () => {
    let keys: IdpKeysStandIn;
    let google: OpaqueTokenStandIn;
    let github: OpaqueTokenStandIn;
    beforeAll(async () => {
      keys = await createIdpKeysStandIn(CASES.flatMap((c) => (c.jwks ? [c.jwks] : [])));
      google = await startGoogleTokenInfo(
        new Map([
          ['ya29.good', googleAnswer(GOOGLE_CLIENT)],
          ['ya29.other', googleAnswer('999-other.apps.googleusercontent.com')],
        ]),
      );
      github = await startGithubUserApi(
        new Map([
          [
            'gho_good',
            {
              status: 200,
              body: { login: 'octocat', id: 1 },
              headers: { 'x-oauth-scopes': 'mcp:tools' },
            },
          ],
        ]),
      );
    });
    afterAll(async () => {
      await Promise.all([keys?.close(), google?.close(), github?.close()]);
    });

    for (const c of CASES) {
      describe(c.name, () => {
        let server: RunningServer | undefined;
        let resource = '';
        const decisions: AuthorizeDecision[] = [];
        beforeAll(async () => {
          const port = await freePort();
          resource = `http://127.0.0.1:${port}/mcp`;
          const config: ResourceServerConfig = {
            resource,
            ...c.fragment({ google: google.url, github: github.url }),
            requiredScopes: ['mcp:tools'],
            allowHttp: 'loopback',
            fetch: keys.fetch,
            httpTimeout: 2000,
            onDecision: (d) => decisions.push(d),
          };
          server = await harness.start({ port, config });
        });
        afterAll(async () => {
          await server?.close();
        });

        it('accepts the token the IdP documents, with the profile client id', async () => {
          const good = await c.good(resource, keys.mint);
          const res = await send(new URL(resource).origin, {
            path: '/mcp',
            headers: { authorization: `Bearer ${good.token}` },
          });
          expect(res.status, res.body).toBe(200);
          const info = JSON.parse(res.body) as { clientId?: string | null; scopes: string[] };
          expect(info.clientId ?? null).toBe(good.clientId);
          expect(info.scopes).toContain('mcp:tools');
          expect(decisions.at(-1)?.audienceAlias).toBe(good.alias);
        });

        for (const r of c.refused) {
          it(`refuses ${r.name} with 401 invalid_token`, async () => {
            const token = await r.token(resource, keys.mint);
            const res = await send(new URL(resource).origin, {
              path: '/mcp',
              headers: { authorization: `Bearer ${token}` },
            });
            expect(res.status, res.body).toBe(401);
            expect(bearerChallenge(res)?.error).toBe('invalid_token');
          });
        }
      });
    }
  });
}
