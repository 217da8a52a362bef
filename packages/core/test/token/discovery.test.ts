import { describe, expect, it } from 'vitest';
import type { TestIssuer } from '@prmkit/testing';
import { authorizationServerMetadataUrls } from '../../src/verify/token/discovery.js';
import { codeOf, jwksRequests, jwtVerifierFor, startIssuer } from './helpers.js';

const discovering = (as: TestIssuer, overrides = {}) =>
  jwtVerifierFor(as, { jwksUri: undefined, ...overrides });
const paths = (as: TestIssuer) => as.requests.map((r) => r.path);

describe('JWKS discovery from the issuer', () => {
  it('builds RFC 8414 then OpenID URLs, path-aware', () => {
    expect(authorizationServerMetadataUrls('https://as.example.com')).toEqual([
      'https://as.example.com/.well-known/oauth-authorization-server',
      'https://as.example.com/.well-known/openid-configuration',
    ]);
    expect(authorizationServerMetadataUrls('https://as.example.com/tenant/1')).toEqual([
      'https://as.example.com/.well-known/oauth-authorization-server/tenant/1',
      'https://as.example.com/tenant/1/.well-known/openid-configuration',
    ]);
  });

  it('uses RFC 8414 metadata first and caches the result', async () => {
    const as = await startIssuer({ path: '/tenant' });
    const verifier = discovering(as);
    await verifier.verify(await as.mint());
    await verifier.verify(await as.mint());
    expect(paths(as)).toEqual(['/.well-known/oauth-authorization-server/tenant', '/jwks']);
  });

  it('falls back to OpenID discovery when there is no RFC 8414 document', async () => {
    const as = await startIssuer({ path: '/tenant', metadata: ['openid-configuration'] });
    await discovering(as).verify(await as.mint());
    expect(paths(as)).toEqual([
      '/.well-known/oauth-authorization-server/tenant',
      '/tenant/.well-known/openid-configuration',
      '/jwks',
    ]);
  });

  it('refuses a document naming another issuer, without fetching keys', async () => {
    const as = await startIssuer({ metadataOverrides: { issuer: 'http://127.0.0.1:1' } });
    expect(await codeOf(discovering(as).verify(await as.mint()))).toBe('discovery_failed');
    expect(jwksRequests(as)).toBe(0);
  });

  it('refuses an http jwks_uri on a non-loopback host, even with allowHttp', async () => {
    const as = await startIssuer({
      metadataOverrides: { jwks_uri: 'http://keys.example.com/jwks' },
    });
    expect(await codeOf(discovering(as).verify(await as.mint()))).toBe('discovery_failed');
  });

  it('refuses http issuers and jwks_uri without allowHttp, sending nothing', async () => {
    const as = await startIssuer();
    expect(await codeOf(discovering(as, { allowHttp: undefined }).verify(await as.mint()))).toBe(
      'discovery_failed',
    );
    expect(as.requests).toHaveLength(0);
  });

  it('fails with discovery_failed when neither document exists', async () => {
    const as = await startIssuer({ metadata: [] });
    expect(await codeOf(discovering(as).verify(await as.mint()))).toBe('discovery_failed');
  });

  it('does not cache failures, but waits out a cooldown before asking again', async () => {
    const as = await startIssuer({ metadata: [] });
    const verifier = discovering(as, { discoveryCooldown: 200 });
    const token = await as.mint();
    expect(await codeOf(verifier.verify(token))).toBe('discovery_failed');
    expect(as.requests).toHaveLength(2);
    expect(await codeOf(verifier.verify(token))).toBe('discovery_failed');
    expect(as.requests).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 250));
    expect(await codeOf(verifier.verify(token))).toBe('discovery_failed');
    expect(as.requests).toHaveLength(4);
  });

  it('picks the keys of the issuer named by the token among several', async () => {
    const a = await startIssuer();
    const b = await startIssuer();
    const verifier = jwtVerifierFor(a, { jwksUri: undefined, issuers: [a.issuer, b.issuer] });
    await expect(verifier.verify(await a.mint())).resolves.toMatchObject({ issuer: a.issuer });
    await expect(verifier.verify(await b.mint())).resolves.toMatchObject({ issuer: b.issuer });
    // A token claiming issuer a but signed with b's key is refused.
    const crossed = await b.mint({ iss: a.issuer }, { kid: a.kid });
    expect(await codeOf(verifier.verify(crossed))).toBe('signature_invalid');
  });
});
