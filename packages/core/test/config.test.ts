import { describe, expect, it } from 'vitest';
import {
  createResourceServer,
  PrmkitConfigError,
  type ResourceServerConfig,
} from '../src/index.js';

const good: ResourceServerConfig = {
  resource: 'https://api.example.com/mcp',
  authorizationServers: ['https://auth.example.com'],
};

function issuesOf(config: unknown): { path: string; message: string }[] {
  try {
    createResourceServer(config as ResourceServerConfig);
  } catch (e) {
    expect(e).toBeInstanceOf(PrmkitConfigError);
    expect((e as PrmkitConfigError).code).toBe('config_invalid');
    return [...(e as PrmkitConfigError).issues];
  }
  throw new Error('expected a PrmkitConfigError');
}

const paths = (config: unknown): string[] => issuesOf(config).map((i) => i.path);

describe('createResourceServer config validation', () => {
  it('accepts a minimal https config', () => {
    expect(createResourceServer(good).resource).toBe('https://api.example.com/mcp');
  });

  it('lists every problem at once, each with its path', () => {
    const issues = issuesOf({
      resource: 'https://api.example.com/mcp#frag',
      authorizationServers: [],
      jwt: { algorithms: ['none'], jwksUri: 'http://keys.example.com/jwks' },
    });
    const p = issues.map((i) => i.path);
    expect(p).toContain('authorizationServers');
    expect(p).toContain('jwt.algorithms.0');
    expect(issues.length).toBeGreaterThanOrEqual(3);
    // message lists them all
    const bad = () => createResourceServer({ resource: 'x', authorizationServers: [] });
    expect(bad).toThrow(/resource/);
    expect(bad).toThrow(/authorizationServers/);
  });

  it('refuses a resource with a fragment', () => {
    expect(paths({ ...good, resource: 'https://api.example.com/mcp#x' })).toContain('resource');
  });

  it('refuses an http resource without allowHttp, and a remote http resource even with it', () => {
    const local = { ...good, resource: 'http://127.0.0.1:3000/mcp' };
    expect(issuesOf(local).find((i) => i.path === 'resource')?.message).toMatch(/allowHttp/);
    expect(createResourceServer({ ...local, allowHttp: 'loopback' }).resource).toBe(local.resource);
    expect(
      paths({ ...good, resource: 'http://api.example.com/mcp', allowHttp: 'loopback' }),
    ).toContain('resource');
  });

  it('refuses non-http schemes', () => {
    expect(paths({ ...good, resource: 'javascript:alert(1)' })).toContain('resource');
    expect(paths({ ...good, authorizationServers: ['file:///etc/passwd'] })).toContain(
      'authorizationServers.0',
    );
  });

  it('refuses a resource not in canonical form and names the canonical one', () => {
    const issues = issuesOf({ ...good, resource: 'HTTPS://API.example.com:443/mcp' });
    expect(issues.find((i) => i.path === 'resource')?.message).toContain(
      'https://api.example.com/mcp',
    );
  });

  it('accepts a root resource with or without the trailing slash, byte for byte', () => {
    expect(
      createResourceServer({ ...good, resource: 'https://api.example.com' }).metadata.resource,
    ).toBe('https://api.example.com');
    expect(
      createResourceServer({ ...good, resource: 'https://api.example.com/' }).metadata.resource,
    ).toBe('https://api.example.com/');
  });

  it('refuses empty authorization servers, duplicates, issuers with a query', () => {
    expect(paths({ ...good, authorizationServers: [] })).toContain('authorizationServers');
    expect(
      paths({ ...good, authorizationServers: ['https://a.example', 'https://a.example'] }),
    ).toContain('authorizationServers');
    expect(paths({ ...good, authorizationServers: ['https://a.example?x=1'] })).toContain(
      'authorizationServers.0',
    );
  });

  it('refuses none among signing algorithms anywhere', () => {
    expect(paths({ ...good, jwt: { algorithms: ['RS256', 'none'] } })).toContain(
      'jwt.algorithms.1',
    );
    expect(paths({ ...good, resourceSigningAlgValuesSupported: ['none'] })).toContain(
      'resourceSigningAlgValuesSupported',
    );
    expect(paths({ ...good, dpopSigningAlgValuesSupported: ['NONE'] })).toContain(
      'dpopSigningAlgValuesSupported',
    );
  });

  it('refuses a non-https jwks_uri', () => {
    expect(paths({ ...good, jwksUri: 'http://api.example.com/jwks' })).toContain('jwksUri');
    expect(paths({ ...good, jwt: { jwksUri: 'http://auth.example.com/jwks' } })).toContain(
      'jwt.jwksUri',
    );
  });

  it('allows HS* only with a secret, and never mixed with asymmetric algorithms', () => {
    expect(paths({ ...good, jwt: { algorithms: ['HS256'] } })).toContain('jwt.algorithms.0');
    const secret = 'x'.repeat(32);
    expect(() =>
      createResourceServer({ ...good, jwt: { algorithms: ['HS256'], secret } }),
    ).not.toThrow();
    expect(paths({ ...good, jwt: { algorithms: ['HS256', 'RS256'], secret } })).toContain(
      'jwt.algorithms.1',
    );
    expect(paths({ ...good, jwt: { algorithms: ['HS256'], secret: 'short' } })).toContain(
      'jwt.secret',
    );
  });

  it('refuses invalid scope tokens and scopes that are required but not advertised', () => {
    expect(paths({ ...good, scopesSupported: ['ok', 'has space'] })).toContain('scopesSupported.1');
    expect(paths({ ...good, scopesSupported: ['a'], requiredScopes: ['b'] })).toContain(
      'requiredScopes.0',
    );
    expect(paths({ ...good, scopesSupported: ['a'], toolScopes: { t: ['z'] } })).toContain(
      'toolScopes.t.0',
    );
  });

  it('refuses unknown keys (typos) and wrong types', () => {
    expect(paths({ ...good, authorizationServer: 'https://x' })).toContain('authorizationServer');
    expect(paths({ ...good, clockTolerance: -1 })).toContain('clockTolerance');
    expect(paths({ ...good, bearerMethodsSupported: ['cookie'] })).toContain(
      'bearerMethodsSupported.0',
    );
  });

  it('refuses advertising DPoP or mTLS binding that the built-in verifiers would not enforce', () => {
    expect(paths({ ...good, dpopBoundAccessTokensRequired: true })).toContain(
      'dpopBoundAccessTokensRequired',
    );
    expect(paths({ ...good, tlsClientCertificateBoundAccessTokens: true })).toContain(
      'tlsClientCertificateBoundAccessTokens',
    );
  });

  it('refuses extension members that would shadow standard ones', () => {
    expect(paths({ ...good, extraMetadata: { resource: 'https://evil.example' } })).toContain(
      'extraMetadata.resource',
    );
  });

  it('refuses a non-object config', () => {
    expect(paths(null)).toEqual(['']);
  });
});
