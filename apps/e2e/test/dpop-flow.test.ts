import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startAuthorizationServer } from '@prmkit/authorization-server';
import type { RunningAuthorizationServer } from '@prmkit/authorization-server';
import { createAuthFetch, MemoryCredentialStore } from '@prmkit/client';
import { parseWwwAuthenticate } from '@prmkit/core';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { followAuthorizationRedirects } from '@prmkit/testing';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS, SERVERS } from './servers.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';

interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly authorization: string | null;
  readonly dpop: string | null;
  readonly wwwAuthenticate: string | null;
}

/** Records every exchange, headers included, so the test sees the proofs on the wire. */
function recordingFetch(log: Exchange[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    log.push({
      method: request.method,
      url: request.url,
      status: response.status,
      authorization: request.headers.get('authorization'),
      dpop: request.headers.get('dpop'),
      wwwAuthenticate: response.headers.get('www-authenticate'),
    });
    return response;
  };
}

const textOf = (result: unknown): string => {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join('');
};

describe.each(FRAMEWORKS)(
  '%s example server with PRMKIT_DPOP=required, end to end',
  (framework) => {
    let as: RunningAuthorizationServer;
    let server: RunningExampleServer;
    beforeAll(async () => {
      const start = SERVERS[framework];
      if (start === undefined) throw new Error(`no server for ${framework}`);
      // The AS asks for nonces too, so both nonce retries (AS and RS) are exercised.
      as = await startAuthorizationServer({
        port: 0,
        host: '127.0.0.1',
        autoApprove: {},
        dpop: { requireNonce: true },
      });
      server = await start({ port: 0, host: '127.0.0.1', issuer: as.issuer, dpop: 'required' });
    });
    afterAll(async () => {
      await server?.close();
      await as?.close();
    });

    it('advertises DPoP in the metadata and challenges with DPoP only', async () => {
      const doc = (await (
        await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.url))
      ).json()) as Record<string, unknown>;
      expect(doc['dpop_bound_access_tokens_required']).toBe(true);
      expect(doc['dpop_signing_alg_values_supported']).toContain('ES256');
      const res = await fetch(server.url, { method: 'POST', body: '{}' });
      expect(res.status).toBe(401);
      const schemes = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '').map(
        (c) => c.scheme,
      );
      expect(schemes).toEqual(['DPoP']);
    });

    it('the official MCP client gets a DPoP-bound token and sends a fresh proof on every request', async () => {
      const log: Exchange[] = [];
      const store = new MemoryCredentialStore();
      const authFetch = createAuthFetch({
        fetch: recordingFetch(log),
        store,
        allowHttp: 'loopback',
        redirectUri: REDIRECT_URI,
        openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT_URI }),
        clientMetadata: { client_name: `prmkit e2e dpop (${framework})` },
      });
      const client = new Client({ name: 'prmkit-e2e-dpop', version: '0.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(server.url), { fetch: authFetch }),
      );
      try {
        const echo = await client.callTool({ name: 'echo', arguments: { text: 'bound' } });
        expect(textOf(echo)).toBe('bound');
        const stats = await client.callTool({ name: 'admin_stats', arguments: {} });
        expect(stats.isError).toBeFalsy();
      } finally {
        await client.close();
      }

      // Token requests: a proof each; the AS asked for a nonce once, then issued DPoP tokens.
      const tokenCalls = log.filter((e) => e.url === `${as.issuer}/token`);
      expect(tokenCalls.every((e) => e.dpop !== null)).toBe(true);
      expect(tokenCalls.some((e) => e.status === 400)).toBe(true);
      expect(tokenCalls.filter((e) => e.status === 200).length).toBeGreaterThanOrEqual(2);

      // Resource requests with a token: DPoP scheme, a proof with ath and a unique jti.
      const withToken = log.filter((e) => e.url === server.url && e.authorization !== null);
      expect(withToken.length).toBeGreaterThan(3);
      const jtis = new Set<string>();
      for (const e of withToken) {
        expect(e.authorization).toMatch(/^DPoP /);
        expect(decodeProtectedHeader(e.dpop ?? '').typ).toBe('dpop+jwt');
        const proof = decodeJwt(e.dpop ?? '');
        expect(proof.htu).toBe(server.url);
        expect(typeof proof['ath']).toBe('string');
        jtis.add(String(proof.jti));
      }
      expect(jtis.size).toBe(withToken.length);
      expect(withToken.filter((e) => e.status < 300).length).toBeGreaterThan(2);

      // The stored token is bound to the stored key: cnf.jkt, and the key is not extractable.
      const key = { resource: server.resource, issuer: as.issuer };
      const tokens = (await store.get(key))?.tokens;
      expect(tokens?.tokenType).toBe('DPoP');
      expect(tokens?.dpopKey?.privateKey.extractable).toBe(false);
      expect(decodeJwt(tokens?.accessToken ?? '').cnf).toMatchObject({ jkt: expect.any(String) });
    });
  },
);
