import { createResourceServer, PrmkitConfigError } from '@prmkit/core';
import { describe, expect, it } from 'vitest';
import {
  defaultResource,
  exampleResourceServerConfig,
  ExampleServerEnvError,
  readServerEnv,
} from '@prmkit/example-tools';

describe('readServerEnv', () => {
  it('reads the documented variables', () => {
    expect(
      readServerEnv({
        PORT: '8080',
        PRMKIT_RESOURCE: 'https://mcp.example.com/mcp',
        PRMKIT_ISSUER: 'https://auth.example.com/',
        PRMKIT_JWKS_URI: 'https://auth.example.com/jwks',
        PRMKIT_TOKEN_TYPES: 'at+jwt, JWT',
        PRMKIT_SCOPE_CLAIMS: 'scope,scp',
      }),
    ).toEqual({
      port: 8080,
      host: '127.0.0.1',
      resource: 'https://mcp.example.com/mcp',
      issuer: 'https://auth.example.com/',
      jwksUri: 'https://auth.example.com/jwks',
      acceptedTypes: ['at+jwt', 'JWT'],
      scopeClaims: ['scope', 'scp'],
    });
  });

  it('defaults PORT to 3000 and leaves the resource to be derived from the bound port', () => {
    const options = readServerEnv({ PRMKIT_ISSUER: 'http://127.0.0.1:9000' });
    expect(options.port).toBe(3000);
    expect(options.resource).toBeUndefined();
    expect(options.jwksUri).toBeUndefined();
    expect(defaultResource(3000)).toBe('http://localhost:3000/mcp');
  });

  it('reads PRMKIT_DPOP into the resource server config and refuses other values', () => {
    const options = readServerEnv({
      PRMKIT_ISSUER: 'http://127.0.0.1:9000',
      PRMKIT_DPOP: 'required',
    });
    expect(options.dpop).toBe('required');
    const config = exampleResourceServerConfig(options, 'http://localhost:3000/mcp');
    expect(config.dpop).toEqual({ mode: 'required' });
    expect(readServerEnv({ PRMKIT_ISSUER: 'http://127.0.0.1:9000' }).dpop).toBeUndefined();
    expect(() =>
      readServerEnv({ PRMKIT_ISSUER: 'http://127.0.0.1:9000', PRMKIT_DPOP: 'yes' }),
    ).toThrow(/PRMKIT_DPOP: "yes"/);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      readServerEnv({ PORT: '70000', PRMKIT_TOKEN_TYPES: 'jwt', PRMKIT_SCOPE_CLAIMS: 'roles' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ExampleServerEnvError);
    const problems = (error as ExampleServerEnvError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/PRMKIT_ISSUER/);
    expect(problems).toMatch(/PRMKIT_TOKEN_TYPES: "jwt"/);
    expect(problems).toMatch(/PRMKIT_SCOPE_CLAIMS: "roles"/);
  });

  it('reads introspection and PRMKIT_REDIS_URL', () => {
    const options = readServerEnv({
      PRMKIT_ISSUER: 'http://127.0.0.1:9000',
      PRMKIT_INTROSPECTION_ENDPOINT: 'http://127.0.0.1:9000/token/introspection',
      PRMKIT_INTROSPECTION_CLIENT_ID: 'rs',
      PRMKIT_INTROSPECTION_CLIENT_SECRET: 'secret',
      PRMKIT_INTROSPECTION_CACHE_MAX_AGE: '5',
      PRMKIT_REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(options.introspection).toEqual({
      endpoint: 'http://127.0.0.1:9000/token/introspection',
      clientId: 'rs',
      clientSecret: 'secret',
      cacheMaxAge: 5,
    });
    expect(options.redisUrl).toBe('redis://127.0.0.1:6379');
    const config = exampleResourceServerConfig(options, 'http://localhost:3000/mcp');
    expect(config.jwt).toBeUndefined();
    expect(config.introspection?.cacheMaxAge).toBe(5);
    expect(config.allowHttp).toBe('loopback');
    expect(() => createResourceServer(config)).not.toThrow();
  });

  it('refuses half an introspection setting and a Redis URL of another scheme', () => {
    let error: unknown;
    try {
      readServerEnv({
        PRMKIT_ISSUER: 'http://127.0.0.1:9000',
        PRMKIT_INTROSPECTION_ENDPOINT: 'http://127.0.0.1:9000/token/introspection',
        PRMKIT_REDIS_URL: 'http://127.0.0.1:6379',
      });
    } catch (caught) {
      error = caught;
    }
    const problems = (error as ExampleServerEnvError).problems.join('\n');
    expect(problems).toMatch(/set all three or none/);
    expect(problems).toMatch(/PRMKIT_REDIS_URL/);
    expect(() =>
      readServerEnv({
        PRMKIT_ISSUER: 'https://a.example',
        PRMKIT_INTROSPECTION_CACHE_MAX_AGE: '5',
      }),
    ).toThrow(/CACHE_MAX_AGE: set only with/);
  });

  it('refuses a non-numeric PORT', () => {
    expect(() => readServerEnv({ PORT: '80a', PRMKIT_ISSUER: 'https://a.example' })).toThrow(
      /PORT/,
    );
  });
});

describe('exampleResourceServerConfig', () => {
  it('requires mcp:tools, steps admin_stats up to mcp:admin, and passes the JWT hints', () => {
    const config = exampleResourceServerConfig(
      {
        issuer: 'https://auth.example.com',
        jwksUri: 'https://auth.example.com/jwks',
        acceptedTypes: ['at+jwt', 'JWT'],
        scopeClaims: ['scp'],
      },
      'https://mcp.example.com/mcp',
    );
    expect(config).toMatchObject({
      resource: 'https://mcp.example.com/mcp',
      authorizationServers: ['https://auth.example.com'],
      requiredScopes: ['mcp:tools'],
      scopesSupported: ['mcp:tools', 'mcp:admin'],
      toolScopes: { admin_stats: ['mcp:admin'] },
      jwt: {
        jwksUri: 'https://auth.example.com/jwks',
        acceptedTypes: ['at+jwt', 'JWT'],
        scopeClaims: ['scp'],
      },
    });
    // https everywhere: the core's https-only default stays on.
    expect(config.allowHttp).toBeUndefined();
    expect(createResourceServer(config).metadataPath).toBe(
      '/.well-known/oauth-protected-resource/mcp',
    );
  });

  it('allows http only for loopback URLs', () => {
    const local = exampleResourceServerConfig(
      { issuer: 'http://127.0.0.1:9000' },
      'http://localhost:3000/mcp',
    );
    expect(local.allowHttp).toBe('loopback');
    expect(() => createResourceServer(local)).not.toThrow();

    const exposed = exampleResourceServerConfig(
      { issuer: 'http://127.0.0.1:9000' },
      'http://mcp.example.com/mcp',
    );
    // The loopback issuer switches allowHttp on, but the core still refuses a public http resource.
    expect(() => createResourceServer(exposed)).toThrow(PrmkitConfigError);
  });

  it('passes introspection and the token cache through, allowing a loopback http endpoint', () => {
    const config = exampleResourceServerConfig(
      {
        issuer: 'https://auth.example.com',
        introspection: {
          endpoint: 'http://127.0.0.1:4593/api/oidc/introspect',
          clientAuth: { method: 'bearer', token: 'rs-token' },
          cacheMaxAge: 1,
        },
        tokenCache: { maxAge: 1 },
      },
      'https://mcp.example.com/mcp',
    );
    expect(config.introspection?.endpoint).toBe('http://127.0.0.1:4593/api/oidc/introspect');
    expect(config.tokenCache).toEqual({ maxAge: 1 });
    expect(config.allowHttp).toBe('loopback');
    expect(() => createResourceServer(config)).not.toThrow();
  });
});

describe('readServerEnv: certificate-bound tokens (RFC 8705) and HTTPS', () => {
  it('reads PRMKIT_MTLS, the header name into its format, the proxies and the TLS files', () => {
    const options = readServerEnv({
      PRMKIT_ISSUER: 'https://auth.example.com',
      PRMKIT_MTLS: 'required',
      PRMKIT_MTLS_CERT_HEADER: 'X-Forwarded-Client-Cert',
      PRMKIT_TRUSTED_PROXIES: '10.0.0.0/8, ::1',
      PRMKIT_TLS_CERT: '/etc/tls/server.pem',
      PRMKIT_TLS_KEY: '/etc/tls/server.key',
    });
    expect(options.mtls).toEqual({
      mode: 'required',
      certificateHeader: 'envoy-xfcc',
      trustedProxies: ['10.0.0.0/8', '::1'],
    });
    expect(options.tls).toEqual({
      certFile: '/etc/tls/server.pem',
      keyFile: '/etc/tls/server.key',
    });
    const rs = createResourceServer(
      exampleResourceServerConfig(options, 'https://mcp.example.com/mcp'),
    );
    expect(rs.metadata.tls_client_certificate_bound_access_tokens).toBe(true);
    expect(defaultResource(8443, 'https')).toBe('https://localhost:8443/mcp');
    for (const [name, format] of [
      ['client-cert', 'rfc9440'],
      ['x-ssl-client-cert', 'nginx'],
      ['x-amzn-mtls-clientcert-leaf', 'aws-alb'],
    ] as const) {
      const read = readServerEnv({
        PRMKIT_ISSUER: 'https://a.example',
        PRMKIT_MTLS: 'allowed',
        PRMKIT_MTLS_CERT_HEADER: name,
        PRMKIT_TRUSTED_PROXIES: '127.0.0.1',
      });
      expect(read.mtls?.certificateHeader).toBe(format);
    }
  });

  it('refuses what cannot work, naming the variables', () => {
    const problems = (env: Record<string, string>) => {
      try {
        readServerEnv({ PRMKIT_ISSUER: 'https://a.example', ...env });
      } catch (e) {
        if (e instanceof ExampleServerEnvError) return e.problems.join('\n');
        throw e;
      }
      return '';
    };
    expect(problems({ PRMKIT_MTLS: 'sometimes' })).toMatch(/PRMKIT_MTLS: "sometimes"/);
    expect(
      problems({ PRMKIT_MTLS: 'allowed', PRMKIT_MTLS_CERT_HEADER: 'x-ssl-client-cert' }),
    ).toMatch(/PRMKIT_TRUSTED_PROXIES: required/);
    expect(
      problems({
        PRMKIT_MTLS: 'allowed',
        PRMKIT_MTLS_CERT_HEADER: 'x-client',
        PRMKIT_TRUSTED_PROXIES: '::1',
      }),
    ).toMatch(/PRMKIT_MTLS_CERT_HEADER: "x-client"/);
    expect(problems({ PRMKIT_TRUSTED_PROXIES: '::1' })).toMatch(/set only with PRMKIT_MTLS/);
    expect(problems({ PRMKIT_TLS_CERT: '/x.pem' })).toMatch(/set both or neither/);
  });
});
