import { createResourceServer, createResourceServerSet } from '@prmkit/core';
import type { ResourceServer, ResourceServerConfig, ResourceServerSet } from '@prmkit/core';
import { metadataUrlFor } from '@prmkit/core';
import { createTestIssuer, freePort } from '@prmkit/testing';
import type { TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type SuiteFixture } from './fixture.js';
import type { AdapterHarness, RunningServer } from './harness.js';
import { send, type SuiteRequest } from './http.js';
import { referenceAnswer } from './reference.js';
import { bearerChallenge, expectVerbatim } from './expectations.js';

/** Per-backend scopes of the gateway shape (one scope family per backend MCP server). @see RFC 6749 §3.3 */
export const GATEWAY_SCOPES = {
  githubRead: 'mcp:github:read',
  githubWrite: 'mcp:github:write',
  jiraRead: 'mcp:jira:read',
  jiraWrite: 'mcp:jira:write',
} as const;

/**
 * The several resources every adapter is tested with, on one origin: `/github/mcp` (tool
 * `create_issue` needs `mcp:github:write`), `/jira/mcp` (also served at the root well-known
 * URL) and `/gw`, one gateway resource whose routes need per-backend scopes.
 *
 * @example
 * ```ts
 * const configs = multiResourceConfigs('http://127.0.0.1:3000', issuer);
 * ```
 * @see RFC 9728 §3.1
 */
export function multiResourceConfigs(origin: string, issuer: TestIssuer): ResourceServerConfig[] {
  const common = {
    authorizationServers: [issuer.issuer],
    jwt: { jwksUri: issuer.jwksUri },
    allowHttp: 'loopback' as const,
    httpTimeout: 1000,
  };
  const s = GATEWAY_SCOPES;
  return [
    {
      ...common,
      resource: `${origin}/github/mcp`,
      scopesSupported: [s.githubRead, s.githubWrite],
      requiredScopes: [s.githubRead],
      toolScopes: { create_issue: [s.githubWrite] },
    },
    {
      ...common,
      resource: `${origin}/jira/mcp`,
      scopesSupported: [s.jiraRead, s.jiraWrite],
      requiredScopes: [s.jiraRead],
      serveRootMetadata: true,
    },
    { ...common, resource: `${origin}/gw`, scopesSupported: Object.values(s) },
  ];
}

const toolCall = (name: string) =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } });

/**
 * Several protected resources in one app (RFC 9728 §3.1 path-aware metadata, no clash on
 * the root URL, each route decided by its own resource) and a resource behind a gateway
 * that requires the gateway as the token's current actor (RFC 8693 §4.1), over a real
 * listener with real tokens. Part of `runAdapterSuite`.
 *
 * @example
 * ```ts
 * runMultiResourceSuite('express', harness);
 * ```
 * @see RFC 9728 §3.1, RFC 8707 §2, RFC 8693 §4.1
 */
export function runMultiResourceSuite(name: string, harness: AdapterHarness): void {
  const startMany = harness.startMany?.bind(harness);
  describe.skipIf(startMany === undefined)(`${name}: several resources in one app`, () => {
    let issuer: TestIssuer;
    let server: RunningServer;
    let origin: string;
    let configs: ResourceServerConfig[];
    let reference: ResourceServerSet;
    let github: ResourceServer;
    let jira: ResourceServer;
    let gw: ResourceServer;
    beforeAll(async () => {
      const port = await freePort();
      origin = `http://127.0.0.1:${port}`;
      issuer = await createTestIssuer();
      configs = multiResourceConfigs(origin, issuer);
      reference = createResourceServerSet(configs);
      [github, jira, gw] = reference.resourceServers as [
        ResourceServer,
        ResourceServer,
        ResourceServer,
      ];
      server = await startMany!({ port, configs });
    });
    afterAll(async () => {
      await server?.close();
      await issuer?.close();
    });

    const mint = (rs: ResourceServer, scope: string) => issuer.mint({ aud: rs.resource, scope });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    /** Sends `req` and checks it is exactly the core's answer, then returns it. */
    const exchange = async (req: SuiteRequest) => {
      const res = await send(origin, req);
      expectVerbatim(res, await referenceAnswer(reference, req));
      return res;
    };

    it('serves each resource at its own path-aware metadata URL (RFC 9728 §3.1)', async () => {
      for (const rs of [github, jira, gw]) {
        const res = await fetch(metadataUrlFor(rs.resource));
        expect(res.status).toBe(200);
        const doc = (await res.json()) as Record<string, unknown>;
        expect(doc.resource).toBe(rs.resource);
        expect(doc.scopes_supported).toEqual(rs.metadata.scopes_supported);
      }
    });

    it('serves the root well-known URL from the one resource marked for it', async () => {
      const res = await fetch(`${origin}/.well-known/oauth-protected-resource`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { resource: string }).resource).toBe(jira.resource);
    });

    it("challenges with the route's own resource metadata and scopes", async () => {
      for (const [path, rs, scope] of [
        ['/github/mcp', github, GATEWAY_SCOPES.githubRead],
        ['/jira/mcp', jira, GATEWAY_SCOPES.jiraRead],
      ] as const) {
        const res = await exchange({ path });
        expect(res.status).toBe(401);
        expect(bearerChallenge(res)).toEqual({ resource_metadata: rs.metadataUrl, scope });
      }
    });

    it('admits a token at its own resource and refuses it at another (audience_mismatch)', async () => {
      const token = await mint(github, GATEWAY_SCOPES.githubRead);
      const own = await exchange({ path: '/github/mcp', headers: bearer(token) });
      expect(own.status, own.body).toBe(200);
      expect(JSON.parse(own.body)).toMatchObject({ audience: [github.resource] });
      const other = await exchange({ path: '/jira/mcp', headers: bearer(token) });
      expect(other.status).toBe(401);
      expect(bearerChallenge(other)).toMatchObject({
        error: 'invalid_token',
        resource_metadata: jira.metadataUrl,
      });
      const result = await reference.authorize({
        method: 'GET',
        url: '/jira/mcp',
        headers: bearer(token),
      });
      expect(!result.ok && result.error.code).toBe('audience_mismatch');
    });

    it("reads the body for the owner's tool scopes only (step-up at the right resource)", async () => {
      const headers = { ...bearer(await mint(github, GATEWAY_SCOPES.githubRead)) };
      const post = { method: 'POST', headers: { ...headers, 'content-type': 'application/json' } };
      const denied = await exchange({
        ...post,
        path: '/github/mcp',
        body: toolCall('create_issue'),
      });
      expect(denied.status).toBe(403);
      expect(bearerChallenge(denied)?.scope?.split(' ').sort()).toEqual([
        GATEWAY_SCOPES.githubRead,
        GATEWAY_SCOPES.githubWrite,
      ]);
      const jiraHeaders = bearer(await mint(jira, GATEWAY_SCOPES.jiraRead));
      const jiraPost = {
        method: 'POST',
        headers: { ...jiraHeaders, 'content-type': 'application/json' },
      };
      const plain = await exchange({
        ...jiraPost,
        path: '/jira/mcp',
        body: toolCall('create_issue'),
      });
      expect(plain.status, plain.body).toBe(200);
    });

    it('checks per-backend scopes per route of one gateway resource', async () => {
      const read = bearer(await mint(gw, GATEWAY_SCOPES.githubRead));
      expect((await exchange({ path: '/gw/github', headers: read })).status).toBe(200);
      const denied = await exchange({ path: '/gw/jira', headers: read });
      expect(denied.status).toBe(403);
      expect(bearerChallenge(denied)).toMatchObject({
        error: 'insufficient_scope',
        scope: GATEWAY_SCOPES.jiraWrite,
        resource_metadata: gw.metadataUrl,
      });
      const write = bearer(await mint(gw, GATEWAY_SCOPES.jiraWrite));
      expect((await exchange({ path: '/gw/jira', headers: write })).status).toBe(200);
      // A backend resource's token is not a gateway token.
      const githubToken = bearer(await mint(github, GATEWAY_SCOPES.githubRead));
      expect((await exchange({ path: '/gw/github', headers: githubToken })).status).toBe(401);
    });

    it('leaves unprotected routes alone', async () => {
      const res = await send(origin, { path: '/public' });
      expect(res.status).toBe(200);
      expect(res.body).toBe('ok');
    });
  });

  describe(`${name}: a resource behind a gateway (RFC 8693 §4.1 actor)`, () => {
    const GATEWAY = 'gateway-client';
    let fx: SuiteFixture;
    let reference: ResourceServer;
    beforeAll(async () => {
      fx = await startFixture(harness, { actor: { allowed: [GATEWAY] } });
      reference = createResourceServer(fx.config);
    });
    afterAll(async () => {
      await fx?.close();
    });
    const call = async (claims: Record<string, unknown>) => {
      const req = { path: '/mcp', headers: { authorization: `Bearer ${await fx.mint(claims)}` } };
      const res = await send(fx.origin, req);
      expectVerbatim(res, await referenceAnswer(reference, req));
      return res;
    };

    it('admits a token exchanged by the gateway and exposes the actor chain', async () => {
      const res = await call({
        act: { sub: 'svc-gateway', client_id: GATEWAY, act: { sub: 'first-hop' } },
      });
      expect(res.status, res.body).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({
        subject: 'user-123',
        actor: { clientId: GATEWAY, subject: 'svc-gateway', actor: { subject: 'first-hop' } },
      });
    });

    it('refuses a token with no actor, another actor, or a malformed act (401 invalid_token)', async () => {
      for (const claims of [
        {},
        { act: { sub: 'other-client' } },
        { act: { sub: 'other-client', act: { sub: GATEWAY } } },
        { act: GATEWAY },
      ]) {
        const res = await call(claims);
        expect(res.status, JSON.stringify(claims)).toBe(401);
        expect(bearerChallenge(res)?.error).toBe('invalid_token');
      }
    });
  });
}
