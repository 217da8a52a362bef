import { describe, expect, it } from 'vitest';
import { createResourceServer, type ResourceServerConfig } from '../src/index.js';

const base: ResourceServerConfig = {
  resource: 'https://api.example.com/mcp',
  authorizationServers: ['https://auth.example.com'],
};

describe('metadata document (RFC 9728 §2)', () => {
  it('writes every member in snake_case and omits empty ones', () => {
    const rs = createResourceServer({
      ...base,
      jwksUri: 'https://api.example.com/jwks',
      scopesSupported: ['mcp:tools', 'mcp:admin'],
      bearerMethodsSupported: ['header'],
      resourceSigningAlgValuesSupported: ['RS256'],
      resourceName: 'Example MCP',
      resourceDocumentation: 'https://docs.example.com',
      resourcePolicyUri: 'https://example.com/policy',
      resourceTosUri: 'https://example.com/tos',
      tlsClientCertificateBoundAccessTokens: false,
      authorizationDetailsTypesSupported: ['payment_initiation'],
      dpopSigningAlgValuesSupported: ['ES256'],
      dpopBoundAccessTokensRequired: false,
      extraMetadata: { x_custom: 1 },
    });
    expect(rs.metadata).toEqual({
      resource: 'https://api.example.com/mcp',
      authorization_servers: ['https://auth.example.com'],
      jwks_uri: 'https://api.example.com/jwks',
      scopes_supported: ['mcp:tools', 'mcp:admin'],
      bearer_methods_supported: ['header'],
      resource_signing_alg_values_supported: ['RS256'],
      resource_name: 'Example MCP',
      resource_documentation: 'https://docs.example.com',
      resource_policy_uri: 'https://example.com/policy',
      resource_tos_uri: 'https://example.com/tos',
      tls_client_certificate_bound_access_tokens: false,
      authorization_details_types_supported: ['payment_initiation'],
      dpop_signing_alg_values_supported: ['ES256'],
      dpop_bound_access_tokens_required: false,
      x_custom: 1,
    });
  });

  it('omits empty members and defaults bearer methods to header only', () => {
    const rs = createResourceServer({ ...base, authorizationDetailsTypesSupported: [] });
    expect(rs.metadata).toEqual({
      resource: base.resource,
      authorization_servers: base.authorizationServers,
      bearer_methods_supported: ['header'],
    });
  });

  it('derives scopes_supported from required and tool scopes when not given', () => {
    const rs = createResourceServer({
      ...base,
      requiredScopes: ['mcp:tools'],
      toolScopes: { admin_stats: ['mcp:admin'] },
    });
    expect(rs.metadata.scopes_supported).toEqual(['mcp:tools', 'mcp:admin']);
  });

  it('never takes the resource from the request (Host / X-Forwarded-*)', () => {
    const rs = createResourceServer(base);
    const res = rs.handleMetadataRequest({
      method: 'GET',
      url: '/.well-known/oauth-protected-resource/mcp',
      headers: {
        host: 'evil.example',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'http',
      },
    });
    expect(JSON.parse(res.body).resource).toBe('https://api.example.com/mcp');
    expect(res.body).not.toContain('evil');
  });

  it('exposes the path-aware location and the root alias', () => {
    const rs = createResourceServer(base);
    expect(rs.metadataPath).toBe('/.well-known/oauth-protected-resource/mcp');
    expect(rs.metadataUrl).toBe('https://api.example.com/.well-known/oauth-protected-resource/mcp');
    expect(rs.metadataPaths).toEqual([
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]);
    expect(createResourceServer({ ...base, serveRootMetadata: false }).metadataPaths).toEqual([
      '/.well-known/oauth-protected-resource/mcp',
    ]);
    expect(
      createResourceServer({ ...base, resource: 'https://api.example.com' }).metadataPaths,
    ).toEqual(['/.well-known/oauth-protected-resource']);
  });
});

describe('handleMetadataRequest', () => {
  const rs = createResourceServer({ ...base, metadataCacheControl: 'public, max-age=60' });
  const get = (headers: Record<string, string> = {}, method = 'GET', url = rs.metadataPath) =>
    rs.handleMetadataRequest({ method, url, headers });

  it('GET: 200 JSON with Cache-Control, strong ETag and CORS', () => {
    const res = get();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(res.body)).toEqual(rs.metadata);
  });

  it('defaults Cache-Control to public, max-age=3600', () => {
    expect(
      createResourceServer(base).handleMetadataRequest({
        method: 'GET',
        url: '/.well-known/oauth-protected-resource/mcp',
        headers: {},
      }).headers['cache-control'],
    ).toBe('public, max-age=3600');
  });

  it('HEAD: same headers, empty body', () => {
    const res = get({}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers.etag).toBe(get().headers.etag);
  });

  it('304 on a matching If-None-Match (list, weak form, star), 200 otherwise', () => {
    const etag = get().headers.etag!;
    expect(get({ 'if-none-match': etag }).status).toBe(304);
    expect(get({ 'if-none-match': `"other", W/${etag}` }).status).toBe(304);
    expect(get({ 'if-none-match': '*' }).status).toBe(304);
    expect(get({ 'if-none-match': '"nope"' }).status).toBe(200);
    expect(get({ 'if-none-match': etag }).body).toBe('');
  });

  it('the ETag changes when the document changes', () => {
    const other = createResourceServer({ ...base, resourceName: 'x' });
    expect(
      other.handleMetadataRequest({ method: 'GET', url: other.metadataPath, headers: {} }).headers
        .etag,
    ).not.toBe(get().headers.etag);
  });

  it('answers a CORS preflight', () => {
    const res = get(
      {
        origin: 'https://app.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'mcp-protocol-version',
      },
      'OPTIONS',
    );
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toContain('GET');
    expect(res.headers['access-control-allow-headers']).toBe('mcp-protocol-version');
  });

  it('does not reflect a hostile preflight header list', () => {
    const res = get({ 'access-control-request-headers': 'x\r\nset-cookie: a=b' }, 'OPTIONS');
    expect(res.headers['access-control-allow-headers']).not.toContain('set-cookie');
  });

  it('405 with Allow for other methods', () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = get({}, method);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    }
  });

  it('serves the root alias and 404s elsewhere; accepts absolute URLs and Headers', () => {
    expect(get({}, 'GET', '/.well-known/oauth-protected-resource').status).toBe(200);
    expect(get({}, 'GET', '/.well-known/oauth-protected-resource/other').status).toBe(404);
    expect(
      rs.handleMetadataRequest({
        method: 'GET',
        url: 'https://api.example.com/.well-known/oauth-protected-resource/mcp',
        headers: new Headers(),
      }).status,
    ).toBe(200);
  });

  it('keeps a query component of the resource in the location', () => {
    const q = createResourceServer({ ...base, resource: 'https://api.example.com/mcp?tenant=a' });
    expect(q.metadataUrl).toBe(
      'https://api.example.com/.well-known/oauth-protected-resource/mcp?tenant=a',
    );
    expect(
      q.handleMetadataRequest({
        method: 'GET',
        url: '/.well-known/oauth-protected-resource/mcp?tenant=a',
        headers: {},
      }).status,
    ).toBe(200);
    expect(
      q.handleMetadataRequest({
        method: 'GET',
        url: '/.well-known/oauth-protected-resource/mcp?tenant=b',
        headers: {},
      }).status,
    ).toBe(404);
  });
});
