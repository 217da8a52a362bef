import { createDpopTestKey, type DpopTestKey } from '@prmkit/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAuthorizationServer,
  type RunningAuthorizationServer,
} from '@prmkit/authorization-server';
import { RESOURCE, endpoint, register, verifyAccessToken } from './support.js';

async function registerService(as: RunningAuthorizationServer) {
  const { status, json } = await register(as, {
    client_name: 'DPoP service',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: 'mcp:tools',
  });
  if (status !== 201) throw new Error(`registration failed: ${JSON.stringify(json)}`);
  return { id: String(json.client_id), secret: String(json.client_secret) };
}

async function dpopToken(
  as: RunningAuthorizationServer,
  auth: { id: string; secret: string },
  key: DpopTestKey,
  nonce?: string,
) {
  const url = await endpoint(as, 'token_endpoint');
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${auth.id}:${auth.secret}`).toString('base64')}`,
      dpop: await key.proof({ method: 'POST', url, nonce }),
    },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      resource: RESOURCE,
      scope: 'mcp:tools',
    }),
  });
  return {
    status: response.status,
    nonce: response.headers.get('dpop-nonce'),
    json: (await response.json()) as Record<string, unknown>,
  };
}

describe('DPoP (RFC 9449) at the authorization server', () => {
  let as: RunningAuthorizationServer;
  let auth: { id: string; secret: string };
  let key: DpopTestKey;
  beforeAll(async () => {
    as = await startAuthorizationServer({ port: 0 });
    auth = await registerService(as);
    key = await createDpopTestKey('ES256');
  });
  afterAll(() => as.close());

  it('advertises DPoP in its metadata', async () => {
    const doc = (await (
      await fetch(`${as.issuer}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    expect(doc.dpop_signing_alg_values_supported).toContain('ES256');
  });

  it('binds the access token to the proof key: token_type DPoP and cnf.jkt', async () => {
    const { status, json } = await dpopToken(as, auth, key);
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json.token_type).toBe('DPoP');
    const { payload } = await verifyAccessToken(as, json.access_token, RESOURCE);
    expect(payload.cnf).toEqual({ jkt: key.jkt });
  });

  it('issues a plain Bearer token without a proof', async () => {
    const url = await endpoint(as, 'token_endpoint');
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${auth.id}:${auth.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: RESOURCE }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    expect(json.token_type).toBe('Bearer');
    expect(decodeJwt(String(json.access_token)).cnf).toBeUndefined();
  });

  it('with requireNonce, answers use_dpop_nonce first and accepts the retry', async () => {
    const strict = await startAuthorizationServer({ port: 0, dpop: { requireNonce: true } });
    try {
      const service = await registerService(strict);
      const first = await dpopToken(strict, service, key);
      expect(first.status).toBe(400);
      expect(first.json.error).toBe('use_dpop_nonce');
      expect(first.nonce).toBeTruthy();
      const second = await dpopToken(strict, service, key, first.nonce ?? undefined);
      expect(second.status, JSON.stringify(second.json)).toBe(200);
      expect(second.json.token_type).toBe('DPoP');
    } finally {
      await strict.close();
    }
  });
});
