import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningAuthorizationServer,
  startAuthorizationServer,
} from '@prmkit/authorization-server';
import {
  type RunningNginx,
  type RunningRedis,
  freePort,
  nginxPath,
  redisServerPath,
  startNginx,
  startRedisServer,
} from '@prmkit/testing';
import { type ServerProcess, startServerProcess } from './fleet.js';

// Two example servers (Express and Hono, separate processes) share one redis-server and
// sit behind one nginx doing round robin: the deployment a team reaches when one
// process is not enough. Opaque tokens, checked by introspection at the real
// authorization server; the introspection cache lives in Redis.

const REDIS = redisServerPath();
const NGINX = nginxPath();
const CACHE_MAX_AGE_S = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function metadataOf(as: RunningAuthorizationServer): Promise<Record<string, string>> {
  return (await (await fetch(as.metadataUrl)).json()) as Record<string, string>;
}

async function registerService(as: RunningAuthorizationServer, name: string) {
  const meta = await metadataOf(as);
  const res = await fetch(meta['registration_endpoint']!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: name,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'mcp:tools',
    }),
  });
  const json = (await res.json()) as { client_id: string; client_secret: string };
  if (res.status !== 201) throw new Error(`registration failed: ${JSON.stringify(json)}`);
  return { id: json.client_id, secret: json.client_secret };
}

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

interface Answer {
  readonly status: number;
  readonly upstream: string;
  readonly challenge: string;
}

describe.skipIf(REDIS === undefined || NGINX === undefined)(
  'two instances sharing one Redis behind nginx',
  () => {
    let as: RunningAuthorizationServer;
    let redis: RunningRedis;
    let proxy: RunningNginx;
    const servers: ServerProcess[] = [];
    let resource: string;
    let agent: { id: string; secret: string };
    let meta: Record<string, string>;

    const call = async (token: string | undefined): Promise<Answer> => {
      const res = await fetch(resource, {
        method: 'POST',
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return {
        status: res.status,
        upstream: res.headers.get('x-upstream') ?? '',
        challenge: res.headers.get('www-authenticate') ?? '',
      };
    };
    /** `count` calls, sequential, so round robin alternates between the two instances. */
    const calls = async (token: string | undefined, count: number): Promise<Answer[]> => {
      const answers: Answer[] = [];
      for (let i = 0; i < count; i++) answers.push(await call(token));
      return answers;
    };
    const upstreams = (answers: readonly Answer[]): Set<string> =>
      new Set(answers.map((a) => a.upstream));
    const issueToken = async (): Promise<string> => {
      const issued = await form(meta['token_endpoint']!, basic(agent.id, agent.secret), {
        grant_type: 'client_credentials',
        resource,
        scope: 'mcp:tools',
      });
      if (issued.status !== 200) throw new Error(`token: ${JSON.stringify(issued.json)}`);
      return String(issued.json['access_token']);
    };
    const introspections = (): number =>
      proxy.accessLog().filter((line) => line.startsWith('POST /token/introspection')).length;

    beforeAll(async () => {
      as = await startAuthorizationServer({ port: 0, accessTokenFormat: 'opaque' });
      meta = await metadataOf(as);
      agent = await registerService(as, 'Agent');
      const rs = await registerService(as, 'MCP servers');
      redis = await startRedisServer(REDIS!);
      const [proxyPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
      resource = `http://127.0.0.1:${proxyPort}/mcp`;
      const asAddress = new URL(as.url).host;
      // Introspection also goes through nginx, so its access log counts the calls.
      proxy = await startNginx(
        NGINX!,
        [
          { location: '/token/introspection', servers: [asAddress] },
          { location: '/', servers: [`127.0.0.1:${portA}`, `127.0.0.1:${portB}`] },
        ],
        proxyPort,
      );
      const env = {
        PRMKIT_ISSUER: as.issuer,
        PRMKIT_RESOURCE: resource,
        PRMKIT_INTROSPECTION_ENDPOINT: `${proxy.url}/token/introspection`,
        PRMKIT_INTROSPECTION_CLIENT_ID: rs.id,
        PRMKIT_INTROSPECTION_CLIENT_SECRET: rs.secret,
        PRMKIT_INTROSPECTION_CACHE_MAX_AGE: String(CACHE_MAX_AGE_S),
        PRMKIT_REDIS_URL: redis.url,
      };
      servers.push(await startServerProcess('express', portA, env));
      servers.push(await startServerProcess('hono', portB, env));
    });

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await proxy?.stop();
      await redis?.stop();
      await as?.close();
    });

    it('nginx alternates between both instances; each challenges a request without a token', async () => {
      const answers = await calls(undefined, 6);
      expect(upstreams(answers).size).toBe(2);
      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(answer.challenge).toContain(
          `resource_metadata="http://127.0.0.1:${new URL(resource).port}/.well-known/oauth-protected-resource/mcp"`,
        );
      }
    });

    it("one introspection serves both instances: the second reads the first one's answer from Redis", async () => {
      const token = await issueToken();
      const before = introspections();
      const answers = await calls(token, 8);
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(upstreams(answers).size).toBe(2);
      expect(introspections() - before).toBe(1);

      // What Redis holds: `prmkit:introspection:<SHA-256>`, never the token.
      const raw = createClient({ url: redis.url });
      raw.on('error', () => undefined);
      await raw.connect();
      const keys = await raw.keys('*');
      const values = await Promise.all(keys.map((key) => raw.get(key)));
      await raw.close();
      expect(keys.length).toBeGreaterThanOrEqual(1);
      for (const key of keys) expect(key).toMatch(/^prmkit:introspection:[A-Za-z0-9_-]{43}$/);
      for (const text of [...keys, ...values]) expect(text).not.toContain(token);
    });

    it(`a token revoked at the authorization server is refused by both within the cache max age (${CACHE_MAX_AGE_S} s)`, async () => {
      const token = await issueToken();
      const first = await calls(token, 4);
      const cachedAt = Date.now(); // the shared answer is at most this old
      expect(first.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      const revoked = await form(meta['revocation_endpoint']!, basic(agent.id, agent.secret), {
        token,
        token_type_hint: 'access_token',
      });
      expect(revoked.status).toBe(200);
      const revokedAt = Date.now();

      // Poll through nginx until both instances have refused it, and note when each did.
      const refusedAt = new Map<string, number>();
      while (refusedAt.size < 2 && Date.now() - revokedAt < CACHE_MAX_AGE_S * 1000 + 3000) {
        const answer = await call(token);
        if (answer.status === 401 && !refusedAt.has(answer.upstream)) {
          expect(answer.challenge).toMatch(/error="invalid_token"/);
          refusedAt.set(answer.upstream, Date.now());
        }
        await sleep(50);
      }
      expect(refusedAt.size).toBe(2);
      for (const at of refusedAt.values()) {
        // Within the max age of the shared answer, plus polling and request slack.
        expect(at - cachedAt).toBeLessThanOrEqual(CACHE_MAX_AGE_S * 1000 + 700);
      }
      // And it stays refused everywhere.
      const after = await calls(token, 6);
      expect(after.map((a) => a.status)).toEqual(Array(6).fill(401));
      expect(upstreams(after).size).toBe(2);
    });

    it('Redis killed mid-run: both instances refuse (never accept), stay up, and serve again once Redis is back', async () => {
      const token = await issueToken();
      expect((await calls(token, 2)).map((a) => a.status)).toEqual([200, 200]);
      await redis.kill();
      // A new token needs the store: refused, quickly, by both instances.
      const fresh = await issueToken();
      const started = Date.now();
      const during = await calls(fresh, 6);
      expect(upstreams(during).size).toBe(2);
      for (const answer of during) {
        expect(answer.status).not.toBe(200);
        expect([401, 503]).toContain(answer.status);
      }
      expect((Date.now() - started) / during.length).toBeLessThan(1000);
      for (const server of servers) expect(server.running()).toBe(true);

      await redis.restart();
      const deadline = Date.now() + 10_000;
      let back: Answer[] = [];
      while (Date.now() < deadline) {
        back = await calls(fresh, 2);
        if (back.every((a) => a.status === 200)) break;
        await sleep(100);
      }
      expect(back.map((a) => a.status)).toEqual([200, 200]);
      expect(upstreams(back).size).toBe(2);
      // Neither process crashed or restarted on the way.
      for (const server of servers) {
        expect(server.running()).toBe(true);
        expect(server.output()).not.toMatch(/Unhandled|uncaught/i);
      }
    });
  },
);
