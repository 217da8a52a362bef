import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningAuthorizationServer,
  startAuthorizationServer,
} from '@prmkit/authorization-server';
import { createAuthFetch } from '@prmkit/client';
import { followAuthorizationRedirects } from '@prmkit/testing';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { startServer } from '@prmkit/express-server';
import { createRedisStore, type RedisStore } from '@prmkit/redis';
import { createRedisCredentialStore } from '@prmkit/redis/credentials';
import { type RunningRedis, redisServerPath, startRedisServer } from '@prmkit/testing';

// Several client processes (each with its own Redis connection and credential store; they
// share nothing but Redis and the key) use one registration and one token set.

const REDIS = redisServerPath();
const REDIRECT_URI = 'http://127.0.0.1:1/callback'; // followAuthorizationRedirects stops here

describe.skipIf(REDIS === undefined)('a client fleet sharing credentials through Redis', () => {
  let as: RunningAuthorizationServer;
  let server: RunningExampleServer;
  let redis: RunningRedis;
  const connections: RedisStore[] = [];
  const encryptionKey = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString(
    'base64url',
  );

  beforeAll(async () => {
    as = await startAuthorizationServer({ port: 0, autoApprove: {} });
    server = await startServer({ port: 0, issuer: as.issuer });
    redis = await startRedisServer(REDIS!);
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
    await server?.close();
    await as?.close();
    await redis?.stop();
  });

  /** One client process: its own connection, store, fetch, and a log of what it asked the AS. */
  async function clientProcess() {
    const connection = createRedisStore({ url: redis.url });
    connections.push(connection);
    await connection.ready;
    const asked: string[] = [];
    const tracing: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.origin === new URL(as.issuer).origin) asked.push(url.pathname);
      return fetch(input, init);
    };
    let authorizations = 0;
    const follow = followAuthorizationRedirects({ redirectUri: REDIRECT_URI });
    const authFetch = createAuthFetch({
      fetch: tracing,
      allowHttp: 'loopback',
      redirectUri: REDIRECT_URI,
      openAuthorizationUrl: (url) => {
        authorizations += 1;
        return follow(url);
      },
      store: createRedisCredentialStore({ store: connection, encryptionKey }),
    });
    const listTools = async (): Promise<number> => {
      const res = await authFetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      await res.arrayBuffer();
      return res.status;
    };
    return { listTools, asked, authorizations: () => authorizations };
  }

  it('the first process registers and signs in; the others reuse its registration and tokens', async () => {
    const first = await clientProcess();
    expect(await first.listTools()).toBe(200);
    expect(first.authorizations()).toBe(1);
    expect(first.asked).toContain('/reg');
    expect(first.asked).toContain('/token');

    for (let i = 0; i < 3; i++) {
      const other = await clientProcess();
      expect(await other.listTools()).toBe(200);
      expect(other.authorizations()).toBe(0);
      // No registration, no token request: only discovery, if anything.
      expect(other.asked.filter((p) => p === '/reg' || p === '/token')).toEqual([]);
    }
  });

  it('a process with another key cannot read them and fails loudly', async () => {
    const connection = createRedisStore({ url: redis.url });
    connections.push(connection);
    await connection.ready;
    const wrong = createRedisCredentialStore({
      store: connection,
      encryptionKey: crypto.getRandomValues(new Uint8Array(32)),
    });
    const authFetch = createAuthFetch({
      allowHttp: 'loopback',
      redirectUri: REDIRECT_URI,
      openAuthorizationUrl: followAuthorizationRedirects({ redirectUri: REDIRECT_URI }),
      store: wrong,
    });
    await expect(
      authFetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      }),
    ).rejects.toMatchObject({ code: 'credentials_undecryptable' });
  });
});
