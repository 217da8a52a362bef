import { afterEach, describe, expect, it } from 'vitest';
import { ClientError, DiscoveryError, MetadataCache, discover } from '@prmkit/client';
import { listen, startOAuthServerStandIn, startProtectedResourceStandIn } from '@prmkit/testing';
import type { OAuthServerStandIn } from '@prmkit/testing';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});
async function as(
  opts: Parameters<typeof startOAuthServerStandIn>[0] = {},
): Promise<OAuthServerStandIn> {
  const s = await startOAuthServerStandIn(opts);
  closers.push(s.close);
  return s;
}
async function rs(opts: Parameters<typeof startProtectedResourceStandIn>[0] = {}) {
  const s = await startProtectedResourceStandIn(opts);
  closers.push(s.close);
  return s;
}
async function raw(handler: Parameters<typeof listen>[0]) {
  const s = await listen(handler);
  closers.push(s.close);
  return s;
}
const loop = { allowHttp: 'loopback' as const };

/** A resource whose valid metadata carries `members` too. */
async function rsWithMembers(members: Record<string, unknown>) {
  const a = await as();
  const r = await rs({
    as: a,
    prm: (_o, res) => ({ resource: res, authorization_servers: [a.issuer], ...members }),
  });
  return { a, r };
}

async function discoveryError(p: Promise<unknown>): Promise<DiscoveryError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DiscoveryError);
  return e as DiscoveryError;
}

describe('discover: protected resource metadata', () => {
  it('follows resource_metadata from the 401 and records every step', async () => {
    const a = await as();
    const r = await rs({ as: a, prmLocation: 'custom' });
    const result = await discover(r.url, loop);
    expect(result.resource).toBe(r.url);
    expect(result.resourceMetadataUrl).toBe(`${r.origin}/meta/prm.json`);
    expect(result.issuer).toBe(a.issuer);
    expect(result.authorizationServerMetadata.token_endpoint).toBe(`${a.origin}/token`);
    expect(result.steps.map((s) => [s.step, s.status, s.outcome])).toEqual([
      ['probe', 401, 'challenge'],
      ['resource_metadata', 200, 'ok'],
      ['authorization_server_metadata', 200, 'ok'],
    ]);
    for (const s of result.steps) expect(s.ms).toBeGreaterThanOrEqual(0);
    expect(result.challenges[0]?.resourceMetadata).toBe(`${r.origin}/meta/prm.json`);
  });

  it('without resource_metadata tries the path-aware well-known URL', async () => {
    const a = await as();
    const r = await rs({ as: a, challengeResourceMetadata: false });
    const result = await discover(r.url, loop);
    expect(result.resourceMetadataUrl).toBe(`${r.origin}/.well-known/oauth-protected-resource/mcp`);
  });

  it('falls back to the root well-known URL, whose resource is the origin', async () => {
    const a = await as();
    const r = await rs({ as: a, challengeResourceMetadata: false, prmLocation: 'root' });
    const result = await discover(r.url, loop);
    expect(result.resource).toBe(r.origin);
    expect(
      result.steps.filter((s) => s.step === 'resource_metadata').map((s) => [s.status, s.outcome]),
    ).toEqual([
      [404, 'miss'],
      [200, 'ok'],
    ]);
  });

  it('a 404 at resource_metadata is a miss: the well-known URL is tried next', async () => {
    const a = await as();
    const r = await rs({
      as: a,
      rawChallenge: (o) => `Bearer resource_metadata="${o}/nowhere"`,
    });
    const result = await discover(r.url, loop);
    expect(result.resourceMetadataUrl).toBe(`${r.origin}/.well-known/oauth-protected-resource/mcp`);
  });

  it('a 5xx is an error, not a miss: no fallback to the root', async () => {
    const r = await rs({
      challengeResourceMetadata: false,
      before: (req, res) => {
        if (req.url === '/.well-known/oauth-protected-resource/mcp') {
          res.writeHead(503).end();
          return true;
        }
        return false;
      },
    });
    const e = await discoveryError(discover(r.url, loop));
    expect(e.code).toBe('upstream_error');
    expect(e.steps.some((s) => s.url.endsWith('/.well-known/oauth-protected-resource'))).toBe(
      false,
    );
  });

  it('refuses a document whose resource differs (RFC 9728 §3.3) and asks no AS', async () => {
    const a = await as();
    const r = await rs({
      as: a,
      prm: (o) => ({ resource: `${o}/other`, authorization_servers: [a.issuer] }),
    });
    const e = await discoveryError(discover(r.url, loop));
    expect(e.code).toBe('resource_mismatch');
    expect(a.requests).toHaveLength(0);
    expect(e.steps.at(-1)?.outcome).toBe('rejected');
  });

  it('does not add a slash: /mcp/ is not /mcp', async () => {
    const a = await as();
    const r = await rs({
      as: a,
      prm: (o) => ({ resource: `${o}/mcp/`, authorization_servers: [a.issuer] }),
    });
    expect((await discoveryError(discover(r.url, loop))).code).toBe('resource_mismatch');
  });

  it('refuses metadata without authorization_servers', async () => {
    const r = await rs({ prm: (_o, res) => ({ resource: res }) });
    expect((await discoveryError(discover(r.url, loop))).code).toBe('resource_metadata_invalid');
  });

  it('refuses scopes_supported that is not an array of strings (RFC 9728 §2)', async () => {
    const { r } = await rsWithMembers({ scopes_supported: 'x' });
    const e = await discoveryError(discover(r.url, loop));
    expect(e.code).toBe('resource_metadata_invalid');
    expect(e.steps.at(-1)).toMatchObject({ step: 'resource_metadata', outcome: 'error' });
  });

  it('refuses a non-JSON content type', async () => {
    const r = await rs({
      before: (req, res) => {
        if (req.url === '/.well-known/oauth-protected-resource/mcp') {
          res.writeHead(200, { 'content-type': 'text/html' }).end('{"resource":"x"}');
          return true;
        }
        return false;
      },
    });
    expect((await discoveryError(discover(r.url, loop))).code).toBe('resource_metadata_invalid');
  });

  it('refuses a javascript: resource_metadata URL', async () => {
    const r = await rs({ rawChallenge: () => 'Bearer resource_metadata="javascript:alert(1)"' });
    expect((await discoveryError(discover(r.url, loop))).code).toBe('insecure_url');
  });

  it('refuses a file: or remote-http authorization server', async () => {
    for (const bad of ['file:///etc/passwd', 'http://as.example.com']) {
      const r = await rs({ prm: (_o, res) => ({ resource: res, authorization_servers: [bad] }) });
      expect((await discoveryError(discover(r.url, loop))).code).toBe('insecure_url');
    }
  });

  it('refuses plain http even on loopback unless allowHttp is set', async () => {
    const r = await rs();
    await expect(discover(r.url)).rejects.toMatchObject({ code: 'insecure_url' });
  });

  it('refuses a cross-origin redirect and follows a same-origin one', async () => {
    const a = await as();
    const other = await raw((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const cross = await rs({
      as: a,
      before: (req, res) => {
        if (req.url === '/.well-known/oauth-protected-resource/mcp') {
          res.writeHead(302, { location: `${other.url}/prm` }).end();
          return true;
        }
        return false;
      },
      challengeResourceMetadata: false,
    });
    const e = await discoveryError(discover(cross.url, loop));
    expect(e.code).toBe('redirect_refused');

    const same = await rs({
      as: a,
      prmLocation: 'custom',
      challengeResourceMetadata: false,
      before: (req, res) => {
        if (req.url === '/.well-known/oauth-protected-resource/mcp') {
          res.writeHead(301, { location: '/meta/prm.json' }).end();
          return true;
        }
        return false;
      },
    });
    const ok = await discover(same.url, loop);
    expect(ok.resource).toBe(same.url);
  });

  it('refuses a body over the cap', async () => {
    const { a, r } = await rsWithMembers({ pad: 'x'.repeat(300 * 1024) });
    expect((await discoveryError(discover(r.url, loop))).code).toBe('body_too_large');
    // and a smaller cap applies too
    const small = await rs({ as: a });
    expect((await discoveryError(discover(small.url, { ...loop, maxBodyBytes: 20 }))).code).toBe(
      'body_too_large',
    );
  });

  it('times out a hanging server (a miss), then reports nothing found', async () => {
    const r = await raw((req, res) => {
      if (req.url === '/mcp') {
        res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      }
      // everything else hangs
    });
    const start = Date.now();
    const e = await discoveryError(discover(`${r.url}/mcp`, { ...loop, timeoutMs: 200 }));
    expect(Date.now() - start).toBeLessThan(3000);
    expect(e.code).toBe('resource_metadata_not_found');
    expect(e.steps.filter((s) => s.detail === 'fetch_timeout')).toHaveLength(2);
  });

  it('reads Bearer and DPoP challenges and picks scopes: challenge, then scopes_supported, then none', async () => {
    const a = await as();
    const withScope = await rs({
      as: a,
      rawChallenge: (o) =>
        `DPoP algs="ES256", Bearer resource_metadata="${o}/.well-known/oauth-protected-resource/mcp", scope="files:read files:write"`,
    });
    const r1 = await discover(withScope.url, loop);
    expect(r1.challenges.map((c) => c.scheme)).toEqual(['bearer', 'dpop']);
    expect(r1.scopes).toEqual(['files:read', 'files:write']);

    const r2 = await discover((await rs({ as: a })).url, loop);
    expect(r2.scopes).toEqual(['read', 'write']);

    const none = await rs({
      as: a,
      prm: (_o, res) => ({ resource: res, authorization_servers: [a.issuer] }),
    });
    expect((await discover(none.url, loop)).scopes).toBeUndefined();
  });
});

describe('discover: authorization server metadata', () => {
  it('path issuer: RFC 8414 insert, then OIDC insert, then OIDC append', async () => {
    const a = await as({ path: '/tenant', wellKnown: ['oidc-append'] });
    const r = await rs({ as: a });
    const result = await discover(r.url, loop);
    expect(
      result.steps
        .filter((s) => s.step === 'authorization_server_metadata')
        .map((s) => [s.url, s.outcome]),
    ).toEqual([
      [`${a.origin}/.well-known/oauth-authorization-server/tenant`, 'miss'],
      [`${a.origin}/.well-known/openid-configuration/tenant`, 'miss'],
      [`${a.origin}/tenant/.well-known/openid-configuration`, 'ok'],
    ]);
    expect(result.authorizationServerMetadataUrl).toBe(
      `${a.origin}/tenant/.well-known/openid-configuration`,
    );
  });

  it('path issuer with OIDC insert', async () => {
    const a = await as({ path: '/t1', wellKnown: ['oidc-insert'] });
    const result = await discover((await rs({ as: a })).url, loop);
    expect(result.authorizationServerMetadataUrl).toBe(
      `${a.origin}/.well-known/openid-configuration/t1`,
    );
  });

  it('root issuer: RFC 8414 then OIDC', async () => {
    const a = await as({ wellKnown: ['oidc-insert'] });
    const result = await discover((await rs({ as: a })).url, loop);
    expect(
      result.steps.filter((s) => s.step === 'authorization_server_metadata').map((s) => s.url),
    ).toEqual([
      `${a.origin}/.well-known/oauth-authorization-server`,
      `${a.origin}/.well-known/openid-configuration`,
    ]);
  });

  it('refuses metadata whose issuer is not identical (RFC 8414 §3.3)', async () => {
    const a = await as({ metadata: (o) => ({ issuer: `${o}/` }) });
    const e = await discoveryError(discover((await rs({ as: a })).url, loop));
    expect(e.code).toBe('issuer_mismatch');
  });

  it('leaves PKCE to the authorization request: a client_credentials client needs none', async () => {
    const a = await as({ metadata: () => ({ code_challenge_methods_supported: undefined }) });
    const result = await discover((await rs({ as: a })).url, loop);
    expect(result.authorizationServerMetadata.code_challenge_methods_supported).toBeUndefined();
  });

  it('refuses a javascript: endpoint in AS metadata', async () => {
    const a = await as({ metadata: () => ({ authorization_endpoint: 'javascript:alert(1)' }) });
    const e = await discoveryError(discover((await rs({ as: a })).url, loop));
    expect(e.code).toBe('authorization_server_metadata_invalid');
    expect(e).toBeInstanceOf(ClientError);
  });

  it('reports when no AS metadata exists', async () => {
    const a = await as({ wellKnown: [] });
    expect((await discoveryError(discover((await rs({ as: a })).url, loop))).code).toBe(
      'authorization_server_metadata_not_found',
    );
  });
});

describe('discover: metadata cache', () => {
  it('reuses a fresh entry, and a failed discovery never overwrites it', async () => {
    const a = await as();
    let broken = false;
    const r = await rs({
      as: a,
      before: (req, res) => {
        if (broken && req.url?.startsWith('/.well-known/')) {
          res.writeHead(500).end();
          return true;
        }
        return false;
      },
    });
    const cache = new MetadataCache();
    const first = await discover(r.url, { ...loop, cache });
    expect(cache.size).toBe(1);
    const second = await discover(r.url, { ...loop, cache });
    expect(second.steps.map((s) => s.outcome)).toEqual(['challenge', 'cached']);
    expect(second.issuer).toBe(first.issuer);

    // a different resource_metadata invalidates; the failing rediscovery keeps nothing bad
    broken = true;
    const r2Url = r.url;
    cache.invalidate(first.resource, first.issuer);
    await expect(discover(r2Url, { ...loop, cache })).rejects.toMatchObject({
      code: 'upstream_error',
    });
    expect(cache.get(r2Url)).toBeUndefined();
  });

  it('honours no-store and caps max-age', async () => {
    const a = await as();
    const r = await rs({ as: a, prmCacheControl: 'no-store' });
    const cache = new MetadataCache();
    await discover(r.url, { ...loop, cache });
    expect(cache.size).toBe(0);

    let now = 0;
    const capped = new MetadataCache({ maxTtlSeconds: 10, now: () => now });
    const r2 = await rs({ as: a, prmCacheControl: 'max-age=86400' });
    await discover(r2.url, { ...loop, cache: capped });
    now = 9_000;
    expect(capped.get(r2.url)).toBeDefined();
    now = 11_000;
    expect(capped.get(r2.url)).toBeUndefined();
  });

  it('keeps a good entry when a later discovery fails', async () => {
    const a = await as();
    let mismatch = false;
    const r = await rs({
      as: a,
      prm: (o, res) => ({ resource: mismatch ? `${o}/x` : res, authorization_servers: [a.issuer] }),
    });
    const cache = new MetadataCache();
    await discover(r.url, { ...loop, cache });
    mismatch = true;
    // fresh entry: the (now broken) document is not refetched
    expect((await discover(r.url, { ...loop, cache })).resource).toBe(r.url);
    // a separate discovery that fails stores nothing
    const other = new MetadataCache();
    await expect(discover(r.url, { ...loop, cache: other })).rejects.toMatchObject({
      code: 'resource_mismatch',
    });
    expect(other.size).toBe(0);
    expect(cache.get(r.url)?.resource).toBe(r.url);
  });
});
