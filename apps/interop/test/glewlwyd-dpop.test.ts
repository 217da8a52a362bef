// DPoP (RFC 9449) with an independent authorization server: Glewlwyd binds the access
// token to the client's key (cnf.jkt); each example server in DPoP mode accepts it with a
// correct proof and refuses a replay, another key, and the token presented as Bearer.
import { parseWwwAuthenticate } from '@prmkit/core';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { startGlewlwyd, type RunningGlewlwyd } from '@prmkit/interop';
import { createDpopTestKey, type DpopTestKey } from '@prmkit/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithGlewlwyd } from './support/glewlwyd-gate.js';
import { basic } from './support/glewlwyd-tokens.js';
import { FRAMEWORKS, SERVERS, type Framework } from './support/servers.js';

const toolsList = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

async function callTools(
  url: string,
  authorization: string,
  proof?: string,
): Promise<{ status: number; challenge: string | null; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization,
      ...(proof === undefined ? {} : { dpop: proof }),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: toolsList,
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body: await response.text(),
  };
}

const dpopError = (challenge: string | null): string | undefined =>
  parseWwwAuthenticate(challenge ?? '').find((c) => c.scheme === 'DPoP')?.params['error'];

describeWithGlewlwyd('DPoP-bound Glewlwyd tokens at the example servers (PRMKIT_DPOP)', () => {
  let glewlwyd: RunningGlewlwyd;
  let key: DpopTestKey;
  let otherKey: DpopTestKey;
  const servers = new Map<Framework, RunningExampleServer>();

  beforeAll(async () => {
    glewlwyd = await startGlewlwyd();
    key = await createDpopTestKey('ES256');
    otherKey = await createDpopTestKey('ES256');
    for (const framework of FRAMEWORKS)
      servers.set(
        framework,
        await SERVERS[framework]({ port: 0, issuer: glewlwyd.issuer, dpop: 'required' }),
      );
    await glewlwyd.allowResources([...servers.values()].map((s) => s.resource));
  });
  afterAll(async () => {
    for (const server of servers.values()) await server.close();
    await glewlwyd?.close();
  });

  /** client_credentials with a DPoP proof on the token request. */
  async function boundToken(resource: string): Promise<string> {
    const tokenUrl = `${glewlwyd.issuer}/token`;
    const { clientId, clientSecret } = glewlwyd.serviceClient;
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...basic(clientId, clientSecret),
        dpop: await key.proof({ method: 'POST', url: tokenUrl }),
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'mcp:tools', resource }),
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(json)).toBe(200);
    expect(json['token_type']).toBe('DPoP');
    const token = String(json['access_token']);
    expect(decodeJwt(token).cnf).toEqual({ jkt: key.jkt });
    return token;
  }

  describe.each(FRAMEWORKS)('%s', (framework) => {
    const server = (): RunningExampleServer => servers.get(framework) as RunningExampleServer;

    it('accepts the token with a correct proof and refuses its replay', async () => {
      const token = await boundToken(server().resource);
      const proof = await key.proof({ method: 'POST', url: server().url, accessToken: token });
      const ok = await callTools(server().url, `DPoP ${token}`, proof);
      expect(ok.status, ok.body).toBe(200);
      expect(ok.body).toContain('whoami');
      const replay = await callTools(server().url, `DPoP ${token}`, proof);
      expect(replay.status).toBe(401);
      expect(dpopError(replay.challenge)).toBe('invalid_dpop_proof');
    });

    it('refuses a proof by another key, and the token as Bearer', async () => {
      const token = await boundToken(server().resource);
      const wrong = await callTools(
        server().url,
        `DPoP ${token}`,
        await otherKey.proof({ method: 'POST', url: server().url, accessToken: token }),
      );
      expect(wrong.status).toBe(401);
      expect(dpopError(wrong.challenge)).toBe('invalid_dpop_proof');
      const asBearer = await callTools(server().url, `Bearer ${token}`);
      expect(asBearer.status).toBe(401);
      expect(parseWwwAuthenticate(asBearer.challenge ?? '').map((c) => c.scheme)).toEqual(['DPoP']);
    });
  });
});
