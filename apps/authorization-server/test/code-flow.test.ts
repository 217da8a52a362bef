import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import {
  startAuthorizationServer,
  type RunningAuthorizationServer,
} from '@prmkit/authorization-server';
import {
  CookieJar,
  REDIRECT_URI,
  RESOURCE,
  authorize,
  codeFlow,
  pkce,
  registerPublicClient,
  token,
  verifyAccessToken,
  type RegisteredClient,
} from './support.js';

describe('authorization code flow with PKCE (auto-approve)', () => {
  let as: RunningAuthorizationServer;
  let client: RegisteredClient;
  beforeAll(async () => {
    as = await startAuthorizationServer({ port: 0, autoApprove: {} });
    client = await registerPublicClient(as);
  });
  afterAll(() => as.close());

  it('issues an RFC 9068 JWT access token for the requested resource', async () => {
    const tokens = await codeFlow(as, client, { scope: 'mcp:tools' });
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope).toBe('mcp:tools');
    const { payload, protectedHeader } = await verifyAccessToken(as, tokens.access_token, RESOURCE);
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.iss).toBe(as.issuer);
    expect(payload.aud).toBe(RESOURCE);
    expect(payload.sub).toBe('alice');
    expect(payload.client_id).toBe(client.client_id);
    expect(payload.scope).toBe('mcp:tools');
    expect(typeof payload.exp).toBe('number');
    expect(typeof payload.jti).toBe('string');
  });

  it('puts iss (RFC 9207) and state in the authorization response', async () => {
    const { challenge } = pkce();
    const callback = await authorize(as, {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      scope: 'mcp:tools',
      resource: RESOURCE,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 's-123',
    });
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('iss')).toBe(as.issuer);
    expect(callback.searchParams.get('state')).toBe('s-123');
    expect(callback.searchParams.get('code')).toBeTruthy();
  });

  it('accepts the loopback redirect URI on another port for a native client (RFC 8252 §7.3)', async () => {
    const { challenge } = pkce();
    const otherPort = 'http://127.0.0.1:61234/callback';
    const callback = await authorize(as, {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: otherPort,
      scope: 'mcp:tools',
      resource: RESOURCE,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(callback.origin + callback.pathname).toBe(otherPort);
    expect(callback.searchParams.get('code')).toBeTruthy();
  });

  it('grants both configured scopes when asked and drops unknown ones', async () => {
    const tokens = await codeFlow(as, client, { scope: 'mcp:tools mcp:admin mcp:root' });
    const { payload } = await verifyAccessToken(as, tokens.access_token, RESOURCE);
    expect(String(payload.scope).split(' ').sort()).toEqual(['mcp:admin', 'mcp:tools']);
  });

  it('steps up to more scopes in the same browser session', async () => {
    const jar = new CookieJar();
    const run = async (scope: string): Promise<Record<string, unknown>> => {
      const { verifier, challenge } = pkce();
      const callback = await authorize(
        as,
        {
          response_type: 'code',
          client_id: client.client_id,
          redirect_uri: REDIRECT_URI,
          scope,
          resource: RESOURCE,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        },
        jar,
      );
      const { json } = await token(as, {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: client.client_id,
        resource: RESOURCE,
      });
      return (await verifyAccessToken(as, json.access_token, RESOURCE)).payload;
    };
    expect((await run('mcp:tools')).scope).toBe('mcp:tools');
    const stepped = await run('mcp:tools mcp:admin');
    expect(String(stepped.scope).split(' ').sort()).toEqual(['mcp:admin', 'mcp:tools']);
    expect(stepped.sub).toBe('alice');
  });

  it('refuses a request without a code_challenge', async () => {
    const callback = await authorize(as, {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      scope: 'mcp:tools',
      resource: RESOURCE,
    });
    expect(callback.searchParams.get('code')).toBeNull();
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses the plain PKCE method', async () => {
    const { verifier } = pkce();
    const callback = await authorize(as, {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      scope: 'mcp:tools',
      resource: RESOURCE,
      code_challenge: verifier,
      code_challenge_method: 'plain',
    });
    expect(callback.searchParams.get('code')).toBeNull();
    expect(callback.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a code exchanged with the wrong code_verifier', async () => {
    const { challenge } = pkce();
    const callback = await authorize(as, {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      scope: 'mcp:tools',
      resource: RESOURCE,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const { status, json } = await token(as, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce().verifier,
      client_id: client.client_id,
      resource: RESOURCE,
    });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_grant');
  });

  it('refuses a resource that is neither loopback nor configured (RFC 8707 invalid_target)', async () => {
    const { challenge } = pkce();
    const callback = await authorize(as, {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      scope: 'mcp:tools',
      resource: 'https://api.example.com/mcp',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(callback.searchParams.get('code')).toBeNull();
    expect(callback.searchParams.get('error')).toBe('invalid_target');
  });

  it('refreshes a token for the same resource, with or without the resource parameter', async () => {
    const tokens = await codeFlow(as, client, { scope: 'mcp:tools' });
    expect(typeof tokens.refresh_token).toBe('string');
    const first = await token(as, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      client_id: client.client_id,
      resource: RESOURCE,
    });
    expect(first.status).toBe(200);
    const { payload } = await verifyAccessToken(as, first.json.access_token, RESOURCE);
    expect(payload.scope).toBe('mcp:tools');
    expect(payload.client_id).toBe(client.client_id);
    // Public clients get a rotated refresh token; the new one keeps the grant's resource.
    expect(typeof first.json.refresh_token).toBe('string');
    const second = await token(as, {
      grant_type: 'refresh_token',
      refresh_token: String(first.json.refresh_token),
      client_id: client.client_id,
    });
    expect(second.status).toBe(200);
    expect(decodeJwt(String(second.json.access_token)).aud).toBe(RESOURCE);
  });

  it('refuses a refresh for a resource that was not granted', async () => {
    const tokens = await codeFlow(as, client, { scope: 'mcp:tools' });
    const { status, json } = await token(as, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
      client_id: client.client_id,
      resource: 'http://localhost:4000/other',
    });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_target');
  });
});

describe('configured resources and scopes', () => {
  let as: RunningAuthorizationServer;
  let client: RegisteredClient;
  const remote = 'https://mcp.example.com/mcp';
  beforeAll(async () => {
    as = await startAuthorizationServer({
      port: 0,
      autoApprove: { username: 'bob' },
      scopes: ['notes:read'],
      resources: [remote],
      allowLoopbackResources: false,
    });
    client = await registerPublicClient(as);
  });
  afterAll(() => as.close());

  it('issues tokens for a configured resource with only configured scopes', async () => {
    const tokens = await codeFlow(as, client, { scope: 'notes:read mcp:tools', resource: remote });
    const { payload } = await verifyAccessToken(as, tokens.access_token, remote);
    expect(payload.sub).toBe('bob');
    expect(payload.scope).toBe('notes:read');
  });

  it('refuses loopback resources when they are not allowed', async () => {
    await expect(codeFlow(as, client, { scope: 'notes:read', resource: RESOURCE })).rejects.toThrow(
      /error=invalid_target/,
    );
  });
});
