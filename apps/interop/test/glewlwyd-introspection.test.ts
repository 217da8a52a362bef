// The example servers in introspection mode (RFC 7662) against Glewlwyd: tokens are
// opaque to the server, Glewlwyd's introspection endpoint decides, and a revoked token is
// refused once the caches' max age has passed.
import { startGlewlwyd, type RunningGlewlwyd } from '@prmkit/interop';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithGlewlwyd } from './support/glewlwyd-gate.js';
import {
  glewlwydClientCredentials,
  glewlwydCodeFlow,
  glewlwydRevoke,
} from './support/glewlwyd-tokens.js';
import { postWith, whoamiWith } from './support/mcp-session.js';
import { FRAMEWORKS, SERVERS, type Framework } from './support/servers.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';
const CACHE_SECONDS = 1;

describeWithGlewlwyd('example servers validating Glewlwyd tokens by introspection', () => {
  let glewlwyd: RunningGlewlwyd;
  let rsToken: string;
  const servers = new Map<Framework, RunningExampleServer>();

  beforeAll(async () => {
    glewlwyd = await startGlewlwyd({ redirectUris: [REDIRECT_URI] });
    // The resource server authenticates with a token carrying Glewlwyd's `introspect` scope.
    const rs = await glewlwydClientCredentials(glewlwyd, glewlwyd.introspectionClient, {
      scope: 'introspect',
    });
    if (rs.status !== 200) throw new Error(`no introspection token: ${JSON.stringify(rs.json)}`);
    rsToken = String(rs.json['access_token']);
    for (const framework of FRAMEWORKS) {
      servers.set(
        framework,
        await SERVERS[framework]({
          port: 0,
          issuer: glewlwyd.issuer,
          introspection: {
            endpoint: `${glewlwyd.issuer}/introspect`,
            clientAuth: { method: 'bearer', token: rsToken },
            cacheMaxAge: CACHE_SECONDS,
          },
          tokenCache: { maxAge: CACHE_SECONDS },
        }),
      );
    }
    await glewlwyd.allowResources([...servers.values()].map((s) => s.resource));
  });
  afterAll(async () => {
    for (const server of servers.values()) await server.close();
    await glewlwyd?.close();
  });

  describe.each(FRAMEWORKS)('%s', (framework) => {
    const server = (): RunningExampleServer => servers.get(framework) as RunningExampleServer;

    it('accepts an active token, then refuses it after revocation (within the cache max age)', async () => {
      const { json } = await glewlwydCodeFlow(glewlwyd, {
        redirectUri: REDIRECT_URI,
        scope: 'mcp:tools',
        resource: server().resource,
      });
      const token = String(json['access_token']);
      const me = await whoamiWith(server().url, token);
      expect(me.scopes).toEqual(['mcp:tools']);
      expect(me.clientId).toBe(glewlwyd.publicClient.clientId);

      expect(await glewlwydRevoke(glewlwyd, token, rsToken)).toBe(200);
      // Noticed at the latest when the cached positive answer expires.
      await new Promise((resolve) => setTimeout(resolve, CACHE_SECONDS * 1000 + 200));
      const answer = await postWith(server().url, token);
      expect(answer.status).toBe(401);
      expect(answer.challenge).toContain('error="invalid_token"');
    });

    it('refuses an active token introspected for another audience', async () => {
      const { json } = await glewlwydClientCredentials(glewlwyd, glewlwyd.serviceClient, {
        scope: 'mcp:tools',
      });
      // No resource: Glewlwyd sets aud to the scope list, and introspection says so.
      expect((await postWith(server().url, String(json['access_token']))).status).toBe(401);
    });
  });
});
