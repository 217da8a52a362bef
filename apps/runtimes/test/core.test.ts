import {
  createResourceServer,
  metadataUrlFor,
  parseWwwAuthenticate,
  type AuthorizeResult,
  type ResourceServer,
} from '@prmkit/core';
import { createTestIssuer, type TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIMES, runScript } from './runtimes.js';

// @prmkit/core (its built dist, as published) on Bun's and Deno's own Web Crypto and fetch:
// tokens minted with jose by the test issuer, whose JWKS is served over loopback; the
// host's decisions must be the ones Node makes, byte for byte.

const RESOURCE = 'http://127.0.0.1:8788/mcp';
const now = () => Math.floor(Date.now() / 1000);

interface Decision {
  ok: boolean;
  subject?: string;
  scopes?: string[];
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}
interface Report {
  host: string;
  metadata: unknown;
  metadataUrl: string;
  metadataUrlFor: string;
  metadataAnswer: { status: number; headers: Record<string, string>; body: string };
  challenge: string;
  parsedChallenge: unknown;
  decisions: Record<string, Decision>;
  hostMinted: { signed: Decision; forged: Decision };
}

const outcome = (result: AuthorizeResult): Decision =>
  result.ok
    ? { ok: true, subject: result.auth.subject, scopes: [...result.auth.scopes] }
    : { ok: false, status: result.status, headers: result.headers, body: result.body };
const toolCall = (name: string) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name, arguments: {} },
});
const bearerError = (d: Decision | undefined) =>
  parseWwwAuthenticate(d?.headers?.['www-authenticate'] ?? '')[0]?.params['error'];

let issuer: TestIssuer;
let tokens: Record<string, string>;
let reference: ResourceServer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools' });
  tokens = {
    none: '',
    good: await issuer.mint(),
    admin: await issuer.mint({ scope: 'mcp:tools mcp:admin' }),
    noScope: await issuer.mint({ scope: 'profile' }),
    expired: await issuer.mint({ iat: now() - 7200, exp: now() - 3600 }),
    wrongAudience: await issuer.mint({ aud: 'http://127.0.0.1:8788/other' }),
    wrongIssuer: await issuer.mint({ iss: 'http://127.0.0.1:1' }),
    forged: await issuer.mint({}, { key: 'other' }),
    algNone: await issuer.mint({}, { alg: 'none' }),
  };
  reference = createResourceServer({
    resource: RESOURCE,
    authorizationServers: [issuer.issuer],
    jwt: { jwksUri: issuer.jwksUri },
    requiredScopes: ['mcp:tools'],
    scopesSupported: ['mcp:tools', 'mcp:admin'],
    toolScopes: { admin_stats: ['mcp:admin'] },
    allowHttp: 'loopback',
  });
});
afterAll(() => issuer?.close());

for (const runtime of RUNTIMES) {
  describe(`@prmkit/core on ${runtime.name}`, () => {
    let report: Report;
    beforeAll(async () => {
      const input = { issuer: issuer.issuer, jwksUri: issuer.jwksUri, resource: RESOURCE, tokens };
      const stdout = await runScript(runtime, 'core-checks.ts', {
        PRMKIT_CHECKS: JSON.stringify(input),
      });
      report = JSON.parse(stdout.trim().split('\n').pop() ?? '') as Report;
    });

    it('ran on the runtime itself', () => {
      expect(report.host).toMatch(runtime.name === 'bun' ? /^bun 1\./ : /^deno 2\./);
    });

    it('builds the RFC 9728 document and its path-aware URL as Node does', () => {
      expect(report.metadata).toEqual(reference.metadata);
      expect(report.metadataUrl).toBe(
        'http://127.0.0.1:8788/.well-known/oauth-protected-resource/mcp',
      );
      expect(report.metadataUrlFor).toBe(metadataUrlFor(RESOURCE));
      expect(report.metadataAnswer).toEqual(
        reference.handleMetadataRequest({ method: 'GET', url: reference.metadataUrl, headers: {} }),
      );
    });

    it('formats and parses challenges (RFC 9110 §11.6.1)', () => {
      expect(report.challenge).toBe(
        `Bearer resource_metadata="${reference.metadataUrl}", scope="mcp:tools mcp:admin"`,
      );
      expect(report.parsedChallenge).toEqual(parseWwwAuthenticate(report.challenge));
    });

    it('verifies jose-signed tokens against the loopback JWKS with its Web Crypto', () => {
      expect(report.decisions['good']).toMatchObject({ ok: true, subject: 'user-123' });
      expect(report.decisions['admin+admin_stats']).toMatchObject({ ok: true });
      for (const name of ['expired', 'wrongAudience', 'wrongIssuer', 'forged', 'algNone']) {
        expect(report.decisions[name]?.status, name).toBe(401);
        expect(bearerError(report.decisions[name]), name).toBe('invalid_token');
      }
      expect(report.decisions['none']?.status).toBe(401);
      expect(bearerError(report.decisions['none'])).toBeUndefined();
      expect(report.decisions['noScope']?.status).toBe(403);
      expect(report.decisions['good+admin_stats']?.status).toBe(403);
      expect(bearerError(report.decisions['good+admin_stats'])).toBe('insufficient_scope');
    });

    it('decides every token exactly as Node does (status, headers, body)', async () => {
      for (const [name, token] of Object.entries(tokens)) {
        const headers = new Headers({ 'content-type': 'application/json' });
        if (token !== '') headers.set('authorization', `Bearer ${token}`);
        for (const tool of ['echo', 'admin_stats']) {
          const key = tool === 'echo' ? name : `${name}+${tool}`;
          const expected = outcome(
            await reference.authorize({
              method: 'POST',
              url: RESOURCE,
              headers,
              body: toolCall(tool),
            }),
          );
          expect(report.decisions[key], key).toEqual(expected);
        }
      }
    });

    it('verifies a token it signed itself (jose, ES256) against a JWKS it serves; refuses a forged one', () => {
      expect(report.hostMinted.signed).toEqual({
        ok: true,
        subject: 'host-user',
        scopes: ['mcp:tools'],
      });
      expect(report.hostMinted.forged.status).toBe(401);
      expect(bearerError(report.hostMinted.forged)).toBe('invalid_token');
    });
  });
}
