import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAuthorizationServer,
  type RunningAuthorizationServer,
} from '@prmkit/authorization-server';
import { RESOURCE, endpoint, register, token } from './support.js';

const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function form(url: string, auth: string, body: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
  return {
    status: res.status,
    json: (await res.json().catch(() => ({}))) as Record<string, unknown>,
  };
}

describe('opaque access tokens, introspection (RFC 7662) and revocation (RFC 7009)', () => {
  let as: RunningAuthorizationServer;
  let agent: { id: string; secret: string };
  let rs: { id: string; secret: string };
  beforeAll(async () => {
    as = await startAuthorizationServer({ port: 0, accessTokenFormat: 'opaque' });
    const client = async (name: string) => {
      const { status, json } = await register(as, {
        client_name: name,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'mcp:tools',
      });
      if (status !== 201) throw new Error(`registration failed: ${JSON.stringify(json)}`);
      return { id: String(json.client_id), secret: String(json.client_secret) };
    };
    agent = await client('Agent');
    rs = await client('Resource server');
  });
  afterAll(() => as.close());

  it('issues an opaque token that introspects as active for the resource, then inactive once revoked', async () => {
    const issued = await token(
      as,
      { grant_type: 'client_credentials', resource: RESOURCE, scope: 'mcp:tools' },
      agent,
    );
    expect(issued.status).toBe(200);
    const accessToken = String(issued.json.access_token);
    expect(accessToken.split('.')).toHaveLength(1); // not a JWS
    const introspect = await endpoint(as, 'introspection_endpoint');
    const active = await form(introspect, basic(rs.id, rs.secret), { token: accessToken });
    expect(active.status).toBe(200);
    expect(active.json).toMatchObject({
      active: true,
      aud: RESOURCE,
      client_id: agent.id,
      scope: 'mcp:tools',
      iss: as.issuer,
      token_type: 'Bearer',
    });

    // Another client cannot revoke it; its own client can.
    const revoke = await endpoint(as, 'revocation_endpoint');
    expect((await form(revoke, basic(rs.id, rs.secret), { token: accessToken })).status).toBe(200);
    expect(
      (await form(introspect, basic(rs.id, rs.secret), { token: accessToken })).json.active,
    ).toBe(true);
    expect((await form(revoke, basic(agent.id, agent.secret), { token: accessToken })).status).toBe(
      200,
    );
    expect(await form(introspect, basic(rs.id, rs.secret), { token: accessToken })).toEqual({
      status: 200,
      json: { active: false },
    });
  });

  it('JWT stays the default format', async () => {
    const jwtServer = await startAuthorizationServer({ port: 0 });
    try {
      const { json } = await register(jwtServer, {
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'mcp:tools',
      });
      const issued = await token(
        jwtServer,
        { grant_type: 'client_credentials', resource: RESOURCE, scope: 'mcp:tools' },
        { id: String(json.client_id), secret: String(json.client_secret) },
      );
      expect(String(issued.json.access_token).split('.')).toHaveLength(3);
    } finally {
      await jwtServer.close();
    }
  });
});
