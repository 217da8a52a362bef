import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAuthorizationServer,
  type RunningAuthorizationServer,
} from '@prmkit/authorization-server';

describe('authorization server metadata', () => {
  let as: RunningAuthorizationServer;
  beforeAll(async () => {
    as = await startAuthorizationServer({ port: 0 });
  });
  afterAll(() => as.close());

  it('listens on loopback with an issuer naming the bound address', () => {
    expect(as.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(as.issuer).toBe(as.url);
    expect(as.metadataUrl).toBe(`${as.issuer}/.well-known/oauth-authorization-server`);
  });

  it('serves the same document at the RFC 8414 and OpenID well-known URLs', async () => {
    const oauth = await fetch(`${as.url}/.well-known/oauth-authorization-server`);
    const openid = await fetch(`${as.url}/.well-known/openid-configuration`);
    expect(oauth.status).toBe(200);
    expect(openid.status).toBe(200);
    expect(oauth.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await oauth.json()) as Record<string, unknown>;
    expect(document).toEqual(await openid.json());
  });

  it('advertises what an MCP client needs', async () => {
    const document = (await (await fetch(as.metadataUrl)).json()) as Record<string, unknown>;
    expect(document.issuer).toBe(as.issuer);
    expect(document.code_challenge_methods_supported).toEqual(['S256']);
    expect(document.authorization_response_iss_parameter_supported).toBe(true);
    expect(document.response_types_supported).toEqual(['code']);
    expect(document.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
    );
    expect(document.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['none', 'client_secret_basic']),
    );
    expect(document.scopes_supported).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));
    for (const name of [
      'authorization_endpoint',
      'token_endpoint',
      'registration_endpoint',
      'jwks_uri',
    ]) {
      expect(String(document[name]).startsWith(`${as.issuer}/`), name).toBe(true);
    }
  });

  it('serves a JWKS with the public RS256 key only', async () => {
    const document = (await (await fetch(as.metadataUrl)).json()) as { jwks_uri: string };
    const jwks = (await (await fetch(document.jwks_uri)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(key).toMatchObject({ kty: 'RSA', kid: as.publicKeys[0]?.kid });
    expect(key).not.toHaveProperty('d');
    expect(key).not.toHaveProperty('p');
  });
});
