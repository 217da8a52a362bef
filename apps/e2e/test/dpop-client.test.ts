import { startAuthorizationServer } from '@prmkit/authorization-server';
import type { RunningAuthorizationServer } from '@prmkit/authorization-server';
import { createAuthFetch, MemoryCredentialStore } from '@prmkit/client';
import type { DpopUse } from '@prmkit/client';
import type { ResourceServerConfig } from '@prmkit/core';
import { createResourceServer } from '@prmkit/core/node';
import { writeNodeResponse } from '@prmkit/core/adapter';
import { listen } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NONCE_SECRET = 'e2e-dpop-resource-server-nonce-secret-123';

interface Seen {
  readonly status: number;
  readonly authorization: string | null;
  readonly dpopNonceSent: string | null;
}

/** A core resource server on node:http that answers 200 with the token's scheme. */
async function startResourceServer(
  issuer: string,
  dpop: ResourceServerConfig['dpop'],
  seen: Seen[],
): Promise<{ url: string; close(): Promise<void> }> {
  // Made once the port (and so the resource) is known.
  const ready: { rs?: ReturnType<typeof createResourceServer> } = {};
  const server = await listen(async (req, res) => {
    const rs = ready.rs;
    if (!rs) throw new Error('not ready');
    const url = req.url ?? '/';
    if (rs.metadataPaths.includes(url.split('?')[0] ?? '')) {
      writeNodeResponse(
        res,
        rs.handleMetadataRequest({ method: req.method ?? 'GET', url, headers: req.headers }),
      );
      return;
    }
    const result = await rs.authorize({ method: req.method ?? 'GET', url, headers: req.headers });
    seen.push({
      status: result.ok ? 200 : result.status,
      authorization: req.headers.authorization ?? null,
      dpopNonceSent: result.ok ? null : (result.headers['dpop-nonce'] ?? null),
    });
    if (!result.ok) {
      writeNodeResponse(res, result);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ scheme: req.headers.authorization?.split(' ')[0] }));
  });
  const resource = `${server.url}/api`;
  ready.rs = createResourceServer({
    resource,
    authorizationServers: [issuer],
    scopesSupported: ['mcp:tools'],
    requiredScopes: ['mcp:tools'],
    allowHttp: 'loopback',
    ...(dpop ? { dpop } : {}),
  });
  return { url: resource, close: () => server.close() };
}

describe('@prmkit/client DPoP against the local AS and a core resource server', () => {
  let as: RunningAuthorizationServer;
  beforeAll(async () => {
    as = await startAuthorizationServer({
      port: 0,
      host: '127.0.0.1',
      dpop: { requireNonce: true },
    });
  });
  afterAll(() => as?.close());

  let service: { clientId: string; clientSecret: string };
  beforeAll(async () => {
    const res = await fetch(`${as.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'e2e DPoP service',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'mcp:tools',
      }),
    });
    const json = (await res.json()) as { client_id: string; client_secret: string };
    service = { clientId: json.client_id, clientSecret: json.client_secret };
  });

  const machineClient = (store = new MemoryCredentialStore(), dpop?: DpopUse) =>
    createAuthFetch({
      grant: 'client_credentials',
      allowHttp: 'loopback',
      store,
      client: { ...service, issuer: as.issuer },
      ...(dpop === undefined ? {} : { dpop }),
    });

  it('retries the resource server nonce apart from the AS nonce, then reuses it', async () => {
    const seen: Seen[] = [];
    const rs = await startResourceServer(
      as.issuer,
      { mode: 'required', nonce: { secret: NONCE_SECRET } },
      seen,
    );
    try {
      const authFetch = machineClient();
      const first = await authFetch(rs.url);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ scheme: 'DPoP' });
      // 401 without a token, 401 use_dpop_nonce with a DPoP-Nonce, then 200.
      expect(seen.map((s) => s.status)).toEqual([401, 401, 200]);
      expect(seen[1]?.dpopNonceSent).toBeTruthy();
      const second = await authFetch(rs.url);
      expect(second.status).toBe(200);
      // The nonce was remembered: no new nonce round trip.
      expect(seen.map((s) => s.status)).toEqual([401, 401, 200, 200]);
    } finally {
      await rs.close();
    }
  });

  it("stays on Bearer with a DPoP-allowed resource unless dpop is 'when-supported'", async () => {
    const seen: Seen[] = [];
    const rs = await startResourceServer(as.issuer, { mode: 'allowed' }, seen);
    try {
      const plain = await machineClient()(rs.url);
      expect(await plain.json()).toEqual({ scheme: 'Bearer' });
      const store = new MemoryCredentialStore();
      const bound = await machineClient(store, 'when-supported')(rs.url);
      expect(await bound.json()).toEqual({ scheme: 'DPoP' });
      const tokens = (await store.get({ resource: rs.url, issuer: as.issuer }))?.tokens;
      expect(tokens?.tokenType).toBe('DPoP');
    } finally {
      await rs.close();
    }
  });

  it("never uses DPoP with dpop: 'never', so a DPoP-only resource refuses", async () => {
    const seen: Seen[] = [];
    const rs = await startResourceServer(as.issuer, { mode: 'required' }, seen);
    try {
      await expect(
        machineClient(new MemoryCredentialStore(), 'never')(rs.url),
      ).rejects.toMatchObject({
        code: 'unauthorized_after_token',
      });
    } finally {
      await rs.close();
    }
  });
});

describe('the dpop switch is a named literal', () => {
  it.each([
    [true, "dpop: 'when-supported'"],
    [false, "dpop: 'never'"],
  ])('dpop: %s is refused with a config error naming %s', (value, replacement) => {
    let error: unknown;
    try {
      createAuthFetch({ dpop: value as never });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'config_invalid', name: 'PrmkitConfigError' });
    expect((error as Error).message).toContain(replacement);
  });
});
