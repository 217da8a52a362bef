// Tokens in the shape Microsoft documents: claims and header per
// https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
// (v1/v2 `iss`, `aud`, `azp`/`appid`, `scp`/`roles`, `tid`, `ver`; header `typ: JWT`, RS256)
// and https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference.
import { createIdpKeysStandIn, type IdpKeysStandIn } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrmkitConfigError, profiles } from '../../src/index.js';
import { now, serverFor } from './helpers.js';

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const TID2 = '9188040d-6c67-4c5b-b112-36a304b66dad';
const OTHER = '0b2a8f2c-1111-4a4a-9b9b-222233334444';
const APP = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
const CLIENT = '1950a258-227b-4e31-a9cf-717495945fc2';
const V2_KEYS = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
const V1_KEYS = 'https://login.microsoftonline.com/common/discovery/keys';

let keys: IdpKeysStandIn;
beforeAll(async () => {
  keys = await createIdpKeysStandIn([V2_KEYS, V1_KEYS]);
});
afterAll(() => keys.close());

const v2 = (tid: string, extra: Record<string, unknown> = {}) => ({
  aud: APP,
  iss: `https://login.microsoftonline.com/${tid}/v2.0`,
  iat: now() - 10,
  nbf: now() - 10,
  exp: now() + 3600,
  aio: 'AXQAi/8TAAAA',
  azp: CLIENT,
  azpacr: '0',
  name: 'Abe Lincoln',
  oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
  preferred_username: 'abeli@microsoft.com',
  rh: 'I',
  scp: 'mcp.tools mcp.read',
  sub: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
  tid,
  uti: 'fqiBqXLPj0eQa82S-IYFAA',
  ver: '2.0',
  ...extra,
});
const v1 = (tid: string, extra: Record<string, unknown> = {}) => ({
  aud: 'api://mcp-server',
  iss: `https://sts.windows.net/${tid}/`,
  iat: now() - 10,
  nbf: now() - 10,
  exp: now() + 3600,
  appid: CLIENT,
  appidacr: '0',
  scp: 'mcp.tools',
  sub: 'l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA',
  oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
  tid,
  ver: '1.0',
  ...extra,
});
const mint = (claims: Record<string, unknown>) => keys.mint(claims, { typ: 'JWT' });

describe('profiles.entra, single tenant, v2 tokens', () => {
  const server = () => serverFor(profiles.entra({ tenants: TID, applicationId: APP }), keys);

  it('accepts a delegated v2 token: aud through the alias, client from azp, scopes from scp', async () => {
    const { decide, decisions } = server();
    const { code, auth } = await decide(await mint(v2(TID)));
    expect(code).toBe('ok');
    expect(auth).toMatchObject({
      clientId: CLIENT,
      scopes: ['mcp.tools', 'mcp.read'],
      audienceAlias: APP,
    });
    expect(decisions.at(-1)).toMatchObject({ ok: true, audienceAlias: APP, clientId: CLIENT });
    expect(keys.requested).toContain(V2_KEYS);
  });

  it('reads app-only tokens (no scp) from roles', async () => {
    const { decide } = server();
    const token = await mint(v2(TID, { scp: undefined, roles: ['Mcp.Admin'], idtyp: 'app' }));
    expect((await decide(token)).auth?.scopes).toEqual(['Mcp.Admin']);
  });

  it('refuses another tenant, a tid that contradicts iss, and a v1 token', async () => {
    const { decide } = server();
    expect((await decide(await mint(v2(OTHER)))).code).toBe('issuer_mismatch');
    expect((await decide(await mint(v2(TID, { tid: OTHER })))).code).toBe('issuer_mismatch');
    expect((await decide(await mint(v1(TID, { aud: APP })))).code).toBe('issuer_mismatch');
    // v1 claims under the v2 issuer: the `ver` rule alone refuses it.
    expect((await decide(await mint(v2(TID, { ver: '1.0' })))).code).toBe('claim_invalid');
  });

  it('refuses a wrong alias, an ID token, and a token without sub', async () => {
    const { decide } = server();
    expect((await decide(await mint(v2(TID, { aud: 'api://other-app' })))).code).toBe(
      'audience_mismatch',
    );
    // An ID token of the same app registration: aud is the app id, but no azp and no scp.
    const idToken = {
      aud: APP,
      iss: `https://login.microsoftonline.com/${TID}/v2.0`,
      iat: now(),
      nbf: now(),
      exp: now() + 3600,
      name: 'Abe Lincoln',
      nonce: '123523',
      oid: '00000000-0000-0000-66f3-3332eca7ea81',
      preferred_username: 'abeli@microsoft.com',
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      tid: TID,
      uti: 'u',
      ver: '2.0',
    };
    expect((await decide(await mint(idToken))).code).toBe('claim_missing');
    expect((await decide(await mint(v2(TID, { sub: undefined })))).code).toBe('claim_missing');
  });

  it('refuses a token signed by a key that is not in the key set', async () => {
    const { decide } = server();
    expect((await decide(await keys.mint(v2(TID), { typ: 'JWT', key: 'other' }))).code).toBe(
      'signature_invalid',
    );
  });
});

describe('profiles.entra, multi-tenant', () => {
  it('accepts only the listed tenants', async () => {
    const { decide } = serverFor(
      profiles.entra({ tenants: [TID, TID2], applicationId: APP }),
      keys,
    );
    expect((await decide(await mint(v2(TID)))).code).toBe('ok');
    expect((await decide(await mint(v2(TID2)))).code).toBe('ok');
    expect((await decide(await mint(v2(OTHER)))).code).toBe('issuer_mismatch');
  });

  it("'any-tenant' fills {tenantid} from tid, and still requires iss to name it", async () => {
    const fragment = profiles.entra({ tenants: 'any-tenant', applicationId: APP });
    expect(fragment.authorizationServers).toEqual([
      'https://login.microsoftonline.com/organizations/v2.0',
    ]);
    const { decide } = serverFor(fragment, keys);
    expect((await decide(await mint(v2(OTHER)))).code).toBe('ok');
    expect((await decide(await mint(v2(OTHER, { tid: TID })))).code).toBe('issuer_mismatch');
    expect((await decide(await mint(v2(OTHER, { tid: 'not-a-guid' })))).code).toBe(
      'issuer_mismatch',
    );
  });
});

describe('profiles.entra, v1 tokens', () => {
  it('accepts a v1 token (appid, Application ID URI audience) and refuses v2 ones', async () => {
    const { decide } = serverFor(
      profiles.entra({
        tenants: TID,
        applicationId: APP,
        applicationIdUri: 'api://mcp-server',
        tokenVersion: 1,
      }),
      keys,
    );
    const { code, auth } = await decide(await mint(v1(TID)));
    expect(code).toBe('ok');
    expect(auth).toMatchObject({ clientId: CLIENT, audienceAlias: 'api://mcp-server' });
    expect(keys.requested).toContain(V1_KEYS);
    expect((await decide(await mint(v2(TID)))).code).toBe('issuer_mismatch');
    expect((await decide(await mint(v1(TID, { ver: '2.0' })))).code).toBe('claim_invalid');
  });
});

describe('profiles.entra options', () => {
  it.each([
    [{ tenants: 'contoso.onmicrosoft.com', applicationId: APP }, 'profiles.entra.tenants.0'],
    [{ tenants: [], applicationId: APP }, 'profiles.entra.tenants'],
    [{ tenants: TID, applicationId: 'api://x' }, 'profiles.entra.applicationId'],
    [
      { tenants: TID, applicationId: APP, tokenVersion: 1 as const },
      'profiles.entra.applicationIdUri',
    ],
  ])('refuses %j', (options, path) => {
    try {
      profiles.entra(options);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PrmkitConfigError);
      expect((e as PrmkitConfigError).issues.map((i) => i.path)).toContain(path);
    }
  });
});
