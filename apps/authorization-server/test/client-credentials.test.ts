import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAuthorizationServer,
  type RunningAuthorizationServer,
} from '@prmkit/authorization-server';
import { RESOURCE, register, token, verifyAccessToken } from './support.js';

describe('client credentials grant', () => {
  let as: RunningAuthorizationServer;
  let auth: { id: string; secret: string };
  beforeAll(async () => {
    as = await startAuthorizationServer({ port: 0 });
    const { status, json } = await register(as, {
      client_name: 'Service',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'mcp:tools mcp:admin',
    });
    if (status !== 201) throw new Error(`registration failed: ${JSON.stringify(json)}`);
    auth = { id: String(json.client_id), secret: String(json.client_secret) };
  });
  afterAll(() => as.close());

  it('issues a JWT for the requested resource and scopes', async () => {
    const { status, json } = await token(
      as,
      { grant_type: 'client_credentials', resource: RESOURCE, scope: 'mcp:tools' },
      auth,
    );
    expect(status).toBe(200);
    expect(json.refresh_token).toBeUndefined();
    const { payload, protectedHeader } = await verifyAccessToken(as, json.access_token, RESOURCE);
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload.client_id).toBe(auth.id);
    // RFC 9068 §2.2: sub is required; for a client acting for itself it is the client id.
    expect(payload.sub).toBe(auth.id);
    expect(payload.scope).toBe('mcp:tools');
    expect(payload.aud).toBe(RESOURCE);
  });

  it('refuses a wrong secret', async () => {
    const { status, json } = await token(
      as,
      { grant_type: 'client_credentials', resource: RESOURCE, scope: 'mcp:tools' },
      { id: auth.id, secret: 'not-the-secret' },
    );
    expect(status).toBe(401);
    expect(json.error).toBe('invalid_client');
  });

  it('refuses a resource the server does not serve', async () => {
    const { status, json } = await token(
      as,
      {
        grant_type: 'client_credentials',
        resource: 'https://elsewhere.example/api',
        scope: 'mcp:tools',
      },
      auth,
    );
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_target');
  });
});
