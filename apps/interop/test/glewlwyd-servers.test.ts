// The example servers with Glewlwyd (an independent OAuth 2 / OIDC server in C) as their
// only authorization server: its RFC 9068 JWT access tokens, found through OpenID Connect
// discovery (Glewlwyd has no RFC 8414 endpoint).
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startGlewlwyd, type RunningGlewlwyd } from '@prmkit/interop';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithGlewlwyd } from './support/glewlwyd-gate.js';
import { glewlwydClientCredentials, glewlwydCodeFlow } from './support/glewlwyd-tokens.js';
import { postWith, whoamiWith } from './support/mcp-session.js';
import { FRAMEWORKS, SERVERS, type Framework } from './support/servers.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';
// A resource Glewlwyd serves too, but not the one under test.
const OTHER_RESOURCE = 'http://localhost:1/other/mcp';

describeWithGlewlwyd('example servers with Glewlwyd as their only authorization server', () => {
  let glewlwyd: RunningGlewlwyd;
  const servers = new Map<Framework, RunningExampleServer>();

  beforeAll(async () => {
    glewlwyd = await startGlewlwyd({ redirectUris: [REDIRECT_URI] });
    for (const framework of FRAMEWORKS)
      servers.set(framework, await SERVERS[framework]({ port: 0, issuer: glewlwyd.issuer }));
    await glewlwyd.allowResources([
      ...[...servers.values()].map((s) => s.resource),
      OTHER_RESOURCE,
    ]);
  });
  afterAll(async () => {
    for (const server of servers.values()) await server.close();
    await glewlwyd?.close();
  });

  describe.each(FRAMEWORKS)('%s', (framework) => {
    const server = (): RunningExampleServer => servers.get(framework) as RunningExampleServer;

    it('accepts a token from the code flow (PKCE S256, resource) for this server', async () => {
      const { status, json } = await glewlwydCodeFlow(glewlwyd, {
        redirectUri: REDIRECT_URI,
        scope: 'mcp:tools',
        resource: server().resource,
      });
      expect(status, JSON.stringify(json)).toBe(200);
      const token = String(json['access_token']);
      expect(decodeProtectedHeader(token).typ).toBe('at+jwt');
      expect(decodeJwt(token).aud).toBe(server().resource);
      const me = await whoamiWith(server().url, token);
      expect(me.issuer).toBe(glewlwyd.issuer);
      expect(me.clientId).toBe(glewlwyd.publicClient.clientId);
      expect(me.scopes).toEqual(['mcp:tools']);
    });

    it('accepts a client_credentials token for this server', async () => {
      const { status, json } = await glewlwydClientCredentials(glewlwyd, glewlwyd.serviceClient, {
        scope: 'mcp:tools',
        resource: server().resource,
      });
      expect(status, JSON.stringify(json)).toBe(200);
      const me = await whoamiWith(server().url, String(json['access_token']));
      expect(me.subject).toBe(glewlwyd.serviceClient.clientId);
      expect(me.clientId).toBe(glewlwyd.serviceClient.clientId);
    });

    it('refuses a Glewlwyd token issued for another resource (401 invalid_token)', async () => {
      const { status, json } = await glewlwydClientCredentials(glewlwyd, glewlwyd.serviceClient, {
        scope: 'mcp:tools',
        resource: OTHER_RESOURCE,
      });
      expect(status).toBe(200);
      expect(decodeJwt(String(json['access_token'])).aud).toBe(OTHER_RESOURCE);
      const answer = await postWith(server().url, String(json['access_token']));
      expect(answer.status).toBe(401);
      expect(answer.challenge).toContain('error="invalid_token"');
    });

    it('refuses a Glewlwyd token without a resource (aud is the scope list)', async () => {
      const { json } = await glewlwydClientCredentials(glewlwyd, glewlwyd.serviceClient, {
        scope: 'mcp:tools',
      });
      expect(decodeJwt(String(json['access_token'])).aud).toBe('mcp:tools');
      expect((await postWith(server().url, String(json['access_token']))).status).toBe(401);
    });
  });
});
