import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAuthorizationServer,
  type RunningAuthorizationServer,
} from '@prmkit/authorization-server';
import { REDIRECT_URI, codeFlow, register, verifyAccessToken, RESOURCE } from './support.js';

describe('dynamic client registration (RFC 7591)', () => {
  let as: RunningAuthorizationServer;
  beforeAll(async () => {
    as = await startAuthorizationServer({ port: 0 });
  });
  afterAll(() => as.close());

  it('registers a public client without an initial access token', async () => {
    const { status, json } = await register(as, {
      client_name: 'Public',
      redirect_uris: [REDIRECT_URI, 'http://localhost:8123/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    expect(status).toBe(201);
    expect(typeof json.client_id).toBe('string');
    expect(json.client_secret).toBeUndefined();
    expect(json.token_endpoint_auth_method).toBe('none');
    expect(json.redirect_uris).toEqual([REDIRECT_URI, 'http://localhost:8123/callback']);
  });

  it('registers a confidential client and returns its secret', async () => {
    const { status, json } = await register(as, {
      client_name: 'Confidential',
      redirect_uris: ['https://app.example.com/callback'],
    });
    expect(status).toBe(201);
    expect(json.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(typeof json.client_secret).toBe('string');
    expect(json.grant_types).toEqual(['authorization_code', 'refresh_token']);
  });

  it('refuses a redirect URI with a dangerous scheme', async () => {
    const { status, json } = await register(as, {
      redirect_uris: ['javascript:alert(1)'],
      token_endpoint_auth_method: 'none',
    });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_redirect_uri');
  });

  it('refuses plain http to a non-loopback host for a native client', async () => {
    const { status, json } = await register(as, {
      application_type: 'native',
      redirect_uris: ['http://app.example.com/callback'],
      token_endpoint_auth_method: 'none',
    });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_redirect_uri');
  });

  it('treats a registered scope as no ceiling: a client registered for mcp:tools steps up to mcp:admin', async () => {
    // What the MCP SDK v2 client registers: the first challenge's scope plus offline_access.
    const { status, json } = await register(as, {
      client_name: 'SDK-like',
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'mcp:tools offline_access',
    });
    expect(status).toBe(201);
    expect(String(json.scope).split(' ').sort()).toEqual([
      'mcp:admin',
      'mcp:tools',
      'offline_access',
    ]);
    const auto = await startAuthorizationServer({ port: 0, autoApprove: {} });
    try {
      const registered = await register(auto, {
        redirect_uris: [REDIRECT_URI],
        token_endpoint_auth_method: 'none',
        scope: 'mcp:tools offline_access',
      });
      const client = { client_id: String(registered.json.client_id) };
      const tokens = await codeFlow(auto, client, { scope: 'mcp:tools mcp:admin' });
      const { payload } = await verifyAccessToken(auto, tokens.access_token, RESOURCE);
      expect(String(payload.scope).split(' ').sort()).toEqual(['mcp:admin', 'mcp:tools']);
    } finally {
      await auto.close();
    }
  });

  it('still refuses a registered scope the server does not know', async () => {
    const { status, json } = await register(as, {
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      scope: 'mcp:tools mcp:root',
    });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_client_metadata');
  });
});
