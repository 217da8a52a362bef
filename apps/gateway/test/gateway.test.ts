import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  type RunningAuthorizationServer,
  startAuthorizationServer,
} from '@prmkit/authorization-server';
import { createAuthFetch } from '@prmkit/client';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { startServer as startExpress } from '@prmkit/express-server';
import type { ExchangeEvent } from '@prmkit/gateway';
import { startServer as startHono } from '@prmkit/hono-server';
import {
  freePort,
  followAuthorizationRedirects,
  redisServerPath,
  type RunningRedis,
  startRedisServer,
} from '@prmkit/testing';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GatewayConfigError,
  readGatewayEnv,
  type RunningGateway,
  startGateway,
} from '@prmkit/gateway-server';
import { bearerTokens, type RecordingForwarder, recordingForwarder } from './support.js';

const REDIRECT_URI = 'http://127.0.0.1:1/callback';
const GATEWAY = { clientId: 'prmkit-gateway', clientSecret: 'gateway-secret-0123456789' };
const REDIS_SERVER = redisServerPath();

const textOf = (result: unknown): string =>
  ((result as { content?: { type: string; text?: string }[] }).content ?? [])
    .map((block) => (block.type === 'text' ? (block.text ?? '') : ''))
    .join('');

describe('apps/gateway in front of two MCP servers', () => {
  let as: RunningAuthorizationServer;
  let files: RunningExampleServer;
  let search: RunningExampleServer;
  let filesSeen: RecordingForwarder;
  let searchSeen: RecordingForwarder;
  let gateway: RunningGateway;
  const events: ExchangeEvent[] = [];
  const inbound: string[] = []; // every token the MCP clients sent to the gateway
  const contentTypes: string[] = [];

  /** The MCP clients' fetch: records what they send and what comes back (not a mock). */
  const clientFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const auth = request.headers.get('authorization');
    if (auth?.startsWith('Bearer ')) inbound.push(auth.slice(7));
    const response = await fetch(request);
    if (request.url.startsWith(gateway.url))
      contentTypes.push(response.headers.get('content-type') ?? '');
    return response;
  };

  const connect = async (route: string): Promise<Client> => {
    const authFetch = createAuthFetch({
      fetch: clientFetch,
      allowHttp: 'loopback',
      redirectUri: REDIRECT_URI,
      openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT_URI }),
      clientMetadata: { client_name: 'prmkit gateway test' },
    });
    const client = new Client({ name: 'prmkit-gateway-test', version: '0.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(route), { fetch: authFetch }));
    return client;
  };

  beforeAll(async () => {
    const [filesPort, searchPort] = [await freePort(), await freePort()];
    const filesResource = `http://127.0.0.1:${filesPort}/mcp`;
    const searchResource = `http://127.0.0.1:${searchPort}/mcp`;
    as = await startAuthorizationServer({
      port: 0,
      autoApprove: {},
      tokenExchange: { clients: [GATEWAY], resources: [filesResource, searchResource] },
    });
    files = await startHono({
      port: filesPort,
      issuer: as.issuer,
      resource: filesResource,
      logLevel: 'warn',
    });
    search = await startExpress({
      port: searchPort,
      issuer: as.issuer,
      resource: searchResource,
      logLevel: 'warn',
    });
    filesSeen = await recordingForwarder(`http://127.0.0.1:${filesPort}`);
    searchSeen = await recordingForwarder(`http://127.0.0.1:${searchPort}`);
    gateway = await startGateway({
      port: 0,
      issuer: as.issuer,
      ...GATEWAY,
      backends: [
        {
          name: 'files',
          path: '/files',
          upstream: `${filesSeen.url}/mcp`,
          resource: filesResource,
          scopes: ['mcp:tools'],
        },
        {
          name: 'search',
          path: '/search',
          upstream: `${searchSeen.url}/mcp`,
          resource: searchResource,
          scopes: ['mcp:tools'],
        },
      ],
      onExchange: (event) => events.push(event),
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await filesSeen?.close();
    await searchSeen?.close();
    await files?.close();
    await search?.close();
    await as?.close();
  });

  it('the SDK client reaches both backends; they see only exchanged tokens (aud = backend, act = gateway)', async () => {
    const jwks = createRemoteJWKSet(new URL(`${as.issuer}/jwks`));
    for (const [route, backend, seen] of [
      ['files', files, filesSeen],
      ['search', search, searchSeen],
    ] as const) {
      const client = await connect(gateway.routes[route] as string);
      try {
        const { tools } = await client.listTools();
        expect(tools.map((tool) => tool.name)).toContain('whoami');
        const me = JSON.parse(
          textOf(await client.callTool({ name: 'whoami', arguments: {} })),
        ) as Record<string, unknown>;
        expect(me['subject']).toBe('alice');
        expect(me['clientId']).toBe(GATEWAY.clientId); // the exchanged token's client
      } finally {
        await client.close();
      }
      const tokens = bearerTokens(seen.seen);
      expect(tokens.length).toBeGreaterThan(0);
      for (const token of tokens) {
        expect(inbound).not.toContain(token);
        const { payload } = await jwtVerify(token, jwks, {
          issuer: as.issuer,
          audience: backend.resource,
        });
        expect(payload.act).toEqual({ sub: GATEWAY.clientId });
        expect(payload.sub).toBe('alice');
      }
    }
    for (const token of inbound) {
      expect(JSON.stringify(filesSeen.seen)).not.toContain(token);
      expect(JSON.stringify(searchSeen.seen)).not.toContain(token);
    }
    // Streamable HTTP answers came back as the backends sent them (SSE included).
    expect(contentTypes).toContain('text/event-stream');
  });

  it('10 calls with one inbound token → 1 exchange', async () => {
    const before = events.length;
    const seenBefore = filesSeen.seen.length;
    const inboundBefore = inbound.length;
    const client = await connect(gateway.routes['files'] as string);
    try {
      for (let i = 0; i < 10; i += 1) {
        const echo = await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } });
        expect(textOf(echo)).toBe(`call ${i}`);
      }
    } finally {
      await client.close();
    }
    // One inbound token for initialize and the 10 calls...
    expect(new Set(inbound.slice(inboundBefore)).size).toBe(1);
    // ...and one exchange for all of them.
    const mine = events.slice(before);
    expect(mine.length).toBeGreaterThanOrEqual(11);
    expect(mine.filter((e) => e.source === 'exchange')).toHaveLength(1);
    expect(mine.filter((e) => e.source === 'exchange')[0]).toMatchObject({
      target: 'files',
      actor: { sub: GATEWAY.clientId },
    });
    expect(new Set(bearerTokens(filesSeen.seen.slice(seenBefore))).size).toBe(1);
  });

  it('a token for one backend replayed at the other → 401', async () => {
    const client = await connect(gateway.routes['files'] as string);
    await client.close();
    const filesToken = inbound.at(-1) as string;
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const headers = (token: string) => ({
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    });
    // At the gateway: the files route's token on the search route.
    const atGateway = await fetch(gateway.routes['search'] as string, {
      method: 'POST',
      headers: headers(filesToken),
      body,
    });
    expect(atGateway.status).toBe(401);
    expect(atGateway.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // At the backends: the exchanged token for files sent straight to search.
    const exchangedForFiles = bearerTokens(filesSeen.seen).at(-1) as string;
    const atBackend = await fetch(search.url, {
      method: 'POST',
      headers: headers(exchangedForFiles),
      body,
    });
    expect(atBackend.status).toBe(401);
  });

  it("a backend's challenge sends the client back to the gateway route, never to the backend", async () => {
    const token = await clientCredentialsToken(as, gateway.routes['files'] as string);
    const response = await fetch(gateway.routes['files'] as string, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      // admin_stats needs mcp:admin at the backend (per-tool scope): a 403 from it.
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'admin_stats', arguments: {} },
      }),
    });
    expect(response.status).toBe(403);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain(
      `resource_metadata="${gateway.url}/.well-known/oauth-protected-resource/files"`,
    );
    expect(challenge).not.toContain(new URL(files.resource).host);
  });

  describe.skipIf(REDIS_SERVER === undefined)('two gateway instances on one redis-server', () => {
    let redis: RunningRedis;
    const instances: RunningGateway[] = [];
    afterAll(async () => {
      await Promise.all(instances.map((instance) => instance.close()));
      await redis?.stop();
    });

    it('share exchanged tokens', async () => {
      redis = await startRedisServer(REDIS_SERVER as string);
      const shared: ExchangeEvent[] = [];
      const backends = [
        {
          name: 'files',
          path: '/files',
          upstream: `${filesSeen.url}/mcp`,
          resource: files.resource,
          scopes: ['mcp:tools'],
        },
      ];
      const publicUrl = `http://127.0.0.1:${await freePort()}`; // both serve the same public origin
      for (let i = 0; i < 2; i += 1)
        instances.push(
          await startGateway({
            port: 0,
            publicUrl,
            issuer: as.issuer,
            ...GATEWAY,
            backends,
            redisUrl: redis.url,
            onExchange: (e) => shared.push(e),
          }),
        );
      const route = `${publicUrl}/files`;
      const token = await clientCredentialsToken(as, route);
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
      for (let i = 0; i < 4; i += 1) {
        const instance = instances[i % 2] as RunningGateway;
        // Reach each instance at its bound address; both believe they are `publicUrl`.
        const response = await fetch(`${instance.boundUrl}/files`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
          body,
        });
        expect(response.status).not.toBe(401);
        await response.arrayBuffer();
      }
      expect(shared.filter((e) => e.source === 'exchange')).toHaveLength(1);
      expect(shared.filter((e) => e.source === 'cache')).toHaveLength(3);
    });
  });

  it('AS down → 503 with Retry-After, and nothing reaches the backend', async () => {
    const token = await clientCredentialsToken(as, gateway.routes['search'] as string);
    // Verified once while the AS is up, so the gateway holds its keys.
    const warm = await fetch(gateway.routes['search'] as string, {
      method: 'POST',
      headers: { authorization: 'Bearer x' },
    });
    expect(warm.status).toBe(401);
    const before = searchSeen.seen.length;
    await as.close();
    const response = await fetch(gateway.routes['search'] as string, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(searchSeen.seen.length).toBe(before);
  });
});

/** A client-credentials token of the example AS for `resource` (a dynamic confidential client). */
async function clientCredentialsToken(
  as: RunningAuthorizationServer,
  resource: string,
): Promise<string> {
  const meta = (await (await fetch(as.metadataUrl)).json()) as Record<string, string>;
  const registered = (await (
    await fetch(meta['registration_endpoint'] as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    })
  ).json()) as Record<string, string>;
  const response = await fetch(meta['token_endpoint'] as string, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${btoa(`${registered['client_id']}:${registered['client_secret']}`)}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'mcp:tools' }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`token: ${JSON.stringify(json)}`);
  return String(json['access_token']);
}

describe('configuration', () => {
  it('refuses a bad config file at start, listing every problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prmkit-gateway-'));
    try {
      const file = join(dir, 'gateway.json');
      writeFileSync(
        file,
        JSON.stringify({
          backends: [
            { name: 'Files', path: '/files/', upstream: 'ftp://x', scopes: ['a b'] },
            {
              name: 'b',
              path: '/.well-known/x',
              upstream: 'http://127.0.0.1:1/mcp',
              scopes: [],
              audience: 'b',
              extra: 1,
            },
            {
              name: 'b',
              path: '/c',
              upstream: 'http://127.0.0.1:1/mcp',
              scopes: [],
              resource: 'http://127.0.0.1:1/mcp',
            },
            {
              name: 'd',
              path: '/c/d',
              upstream: 'http://127.0.0.1:1/mcp',
              scopes: [],
              resource: 'http://127.0.0.1:1/mcp',
            },
          ],
        }),
      );
      let error: unknown;
      try {
        readGatewayEnv({ PRMKIT_GATEWAY_CONFIG: file, PORT: 'x' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GatewayConfigError);
      const problems = (error as GatewayConfigError).problems.join('\n');
      for (const expected of [
        'PORT',
        'PRMKIT_ISSUER',
        'PRMKIT_EXCHANGE_CLIENT_ID',
        'PRMKIT_EXCHANGE_CLIENT_SECRET',
        'backends.0.name',
        'backends.0.path',
        'backends.0.upstream',
        'backends.0.scopes.0',
        'set "audience" or "resource"',
        'backends.1.path',
        'extra',
        'backends.2.name',
        'backends.3.path',
      ])
        expect(problems).toContain(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
