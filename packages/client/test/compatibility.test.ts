import { describe, expect, it } from 'vitest';
import { importJWK, jwtVerify } from 'jose';
import { createAuthFetch } from '@prmkit/client';
import { PrmkitConfigError } from '@prmkit/core';
import { fixtureAs, fixtureRs, rejection } from './helpers.js';
import type { OAuthServerStandIn } from '@prmkit/testing';

const APP_URI = 'api://6e74172b-be56-4843-9ff4-e66a39bb12e3';

/**
 * An Entra-like authorization server: no dynamic registration, no CIMD. Its tokens name the
 * audience from the (resource-qualified) scope, not from `resource`, so the stand-in resource
 * accepts this AS's signed tokens without an `aud` (a real signature check, issuer exact).
 */
async function entraLike(): Promise<{ as: OAuthServerStandIn; url: string }> {
  const as = await fixtureAs({
    metadata: () => ({ registration_endpoint: undefined }),
    clients: [{ clientId: 'svc', authMethod: 'client_secret_post', secret: 's3cret' }],
    // Entra answers the qualified form and the resource checks the short one.
    grant: (requested) => requested?.replaceAll(`${APP_URI}/`, ''),
  });
  const key = await importJWK(as.publicJwk, 'ES256');
  const rs = await fixtureRs({
    as,
    challengeScope: 'mcp:tools',
    before: (req, res) => {
      const auth = req.headers.authorization;
      if (!auth?.startsWith('Bearer ')) return false;
      void jwtVerify(auth.slice(7), key, { issuer: as.issuer }).then(
        ({ payload }) => {
          res.writeHead(payload.aud === undefined ? 200 : 401).end();
        },
        () => res.writeHead(401).end(),
      );
      return true;
    },
  });
  return { as, url: rs.url };
}

const tokenRequests = (as: OAuthServerStandIn) =>
  as.requests.filter((r) => r.path === '/token').map((r) => new URLSearchParams(r.body));

describe('client compatibility options (per authorization server, named, warned)', () => {
  it('Entra: pre-registered client, no resource (AADSTS9010010), resource-qualified scopes', async () => {
    const { as, url } = await entraLike();
    const warnings: string[] = [];
    const f = createAuthFetch({
      allowHttp: 'loopback',
      grant: 'client_credentials',
      onWarning: (m) => warnings.push(m),
      compatibility: [
        {
          issuer: as.issuer,
          client: {
            clientId: 'svc',
            clientSecret: 's3cret',
            tokenEndpointAuthMethod: 'client_secret_post',
          },
          omitResourceParameter: 'entra-aadsts9010010',
          scopeForm: { kind: 'entra-resource-qualified', applicationIdUri: APP_URI },
        },
      ],
    });
    expect((await f(url)).status).toBe(200);
    const [request] = tokenRequests(as);
    expect(request?.get('client_id')).toBe('svc');
    expect(request?.has('resource')).toBe(false);
    expect(request?.get('scope')).toBe(`${APP_URI}/mcp:tools`);
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).toMatch(/pre-registered client/);
    expect(warnings.join('\n')).toMatch(/AADSTS9010010/);
    expect(warnings.join('\n')).toMatch(/resource-qualified/);
    // Each warning once, however often it applies.
    await f(url);
    expect(warnings).toHaveLength(3);
  });

  it('strict by default: no registration endpoint and no client is an error, resource is sent', async () => {
    const { as, url } = await entraLike();
    const e = await rejection(
      createAuthFetch({ allowHttp: 'loopback', grant: 'client_credentials' })(url),
    );
    expect(e.code).toBe('client_registration_unavailable');
    expect(tokenRequests(as)).toHaveLength(0);
  });

  it('an entry for another issuer changes nothing here', async () => {
    const { as, url } = await entraLike();
    const warnings: string[] = [];
    const f = createAuthFetch({
      allowHttp: 'loopback',
      grant: 'client_credentials',
      onWarning: (m) => warnings.push(m),
      client: {
        clientId: 'svc',
        clientSecret: 's3cret',
        tokenEndpointAuthMethod: 'client_secret_post',
      },
      compatibility: [
        {
          issuer: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
          omitResourceParameter: 'entra-aadsts9010010',
          scopeForm: { kind: 'entra-resource-qualified', applicationIdUri: APP_URI },
        },
      ],
    });
    // The token carries aud = resource, which this stand-in resource refuses: only the wire matters.
    await f(url).catch(() => undefined);
    const [request] = tokenRequests(as);
    expect(request?.get('resource')).toBe(url);
    expect(request?.get('scope')).toBe('mcp:tools');
    expect(warnings).toEqual([]);
  });

  it('refuses malformed entries up front', () => {
    const bad = [
      [{ issuer: 'not a url' }],
      [{ issuer: 'https://a.example' }, { issuer: 'https://a.example' }],
      [{ issuer: 'https://a.example', omitResourceParameter: 'always' }],
      [
        {
          issuer: 'https://a.example',
          scopeForm: { kind: 'entra-resource-qualified', applicationIdUri: 'api://x/' },
        },
      ],
      [{ issuer: 'https://a.example', client: { clientId: 'c', issuer: 'https://b.example' } }],
    ];
    for (const compatibility of bad) {
      expect(() => createAuthFetch({ compatibility: compatibility as never })).toThrow(
        PrmkitConfigError,
      );
    }
  });
});
