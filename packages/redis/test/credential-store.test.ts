import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDpopKey, type StoredCredentials } from '@prmkit/client';
import { createMemoryStore } from '@prmkit/core/store';
import { createRedisStore, type RedisStore } from '@prmkit/redis';
import { CredentialDecryptionError, createRedisCredentialStore } from '@prmkit/redis/credentials';
import type { RunningRedis } from '@prmkit/testing';
import { REDIS_SERVER, rawClient, startRedis, stopAllRedis } from './redis-fixture.js';

const KEY_A = { resource: 'https://mcp.example.com/mcp', issuer: 'https://auth.example.com' };
const KEY_B = { resource: 'https://other.example.com/mcp', issuer: 'https://auth.example.com' };
const CREDENTIALS: StoredCredentials = {
  client: {
    clientId: 'dyn-client-123',
    clientSecret: 'client-secret-value-xyz',
    tokenEndpointAuthMethod: 'client_secret_basic',
    source: 'dynamic-registration',
    redirectUri: 'http://127.0.0.1:8765/callback',
  },
  tokens: {
    accessToken: 'access-token-value-abc',
    tokenType: 'Bearer',
    expiresAt: 1_900_000_000_000,
    refreshToken: 'refresh-token-value-def',
    scopes: ['mcp:tools'],
  },
};
const secretKey = (): Uint8Array => crypto.getRandomValues(new Uint8Array(32));

describe('encrypted credential store (on the memory store)', () => {
  it('keeps DPoP-bound tokens in this process only: the shared store gets the client', async () => {
    const shared = createMemoryStore();
    const encryptionKey = secretKey();
    const store = createRedisCredentialStore({ store: shared, encryptionKey });
    const dpopKey = await generateDpopKey();
    const bound = {
      ...CREDENTIALS,
      tokens: { ...CREDENTIALS.tokens!, tokenType: 'DPoP', dpopKey },
    };
    await store.set(KEY_A, bound);
    expect((await store.get(KEY_A))?.tokens?.dpopKey).toBe(dpopKey);
    const otherProcess = createRedisCredentialStore({ store: shared, encryptionKey });
    await expect(otherProcess.get(KEY_A)).resolves.toEqual({ client: CREDENTIALS.client });
    await store.delete(KEY_A);
    await expect(store.get(KEY_A)).resolves.toBeUndefined();
  });

  it('round-trips, and refuses keys that are not 32 bytes', async () => {
    const store = createRedisCredentialStore({
      store: createMemoryStore(),
      encryptionKey: secretKey(),
    });
    await store.set(KEY_A, CREDENTIALS);
    await expect(store.get(KEY_A)).resolves.toEqual(CREDENTIALS);
    await expect(store.get(KEY_B)).resolves.toBeUndefined();
    await store.delete(KEY_A);
    await expect(store.get(KEY_A)).resolves.toBeUndefined();
    for (const encryptionKey of [new Uint8Array(16), 'c2hvcnQ', 'not base64url!']) {
      const bad = createRedisCredentialStore({ store: createMemoryStore(), encryptionKey });
      await expect(bad.get(KEY_A)).rejects.toThrow(/32 bytes/);
    }
  });
});

describe.skipIf(REDIS_SERVER === undefined)('encrypted credential store on Redis', () => {
  let redis: RunningRedis;
  const stores: RedisStore[] = [];
  const shared = async (): Promise<RedisStore> => {
    const store = createRedisStore({ url: redis.url, onError: () => {} });
    stores.push(store);
    await store.ready;
    return store;
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await stopAllRedis();
  });

  it('two processes (two connections) share one registration and token set', async () => {
    const encryptionKey = Buffer.from(secretKey()).toString('base64url');
    const first = createRedisCredentialStore({ store: await shared(), encryptionKey });
    const second = createRedisCredentialStore({ store: await shared(), encryptionKey });
    await first.set(KEY_A, CREDENTIALS);
    await expect(second.get(KEY_A)).resolves.toEqual(CREDENTIALS);
    const refreshed = { ...CREDENTIALS, tokens: { ...CREDENTIALS.tokens!, accessToken: 'new' } };
    await second.set(KEY_A, refreshed);
    await expect(first.get(KEY_A)).resolves.toEqual(refreshed);
    await first.delete(KEY_A);
    await expect(second.get(KEY_A)).resolves.toBeUndefined();
  });

  it('Redis holds neither tokens, secrets nor URLs: hashed key, AES-GCM value', async () => {
    const store = createRedisCredentialStore({ store: await shared(), encryptionKey: secretKey() });
    await store.set(KEY_A, CREDENTIALS);
    const raw = await rawClient(redis.url);
    const keys = await raw.keys('prmkit:client-credentials:*');
    expect(keys).toHaveLength(1);
    const value = (await raw.get(keys[0]!)) ?? '';
    const ttl = await raw.pTTL(keys[0]!);
    await raw.close();
    expect(keys[0]).toMatch(/^prmkit:client-credentials:[A-Za-z0-9_-]{43}$/);
    expect(value).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    for (const secret of [
      'access-token-value-abc',
      'refresh-token-value-def',
      'client-secret-value-xyz',
      'dyn-client-123',
      'example.com',
    ]) {
      expect(keys[0]).not.toContain(secret);
      expect(value).not.toContain(secret);
      expect(Buffer.from(value.split('.')[2] ?? '', 'base64url').toString('latin1')).not.toContain(
        secret,
      );
    }
    expect(ttl).toBeGreaterThan(29 * 24 * 3600 * 1000); // 30 days by default
    await store.delete(KEY_A);
  });

  it('another key, a tampered value, or a value moved to another (resource, issuer): CredentialDecryptionError', async () => {
    const redisStore = await shared();
    const store = createRedisCredentialStore({ store: redisStore, encryptionKey: secretKey() });
    await store.set(KEY_A, CREDENTIALS);
    const otherKey = createRedisCredentialStore({ store: redisStore, encryptionKey: secretKey() });
    await expect(otherKey.get(KEY_A)).rejects.toBeInstanceOf(CredentialDecryptionError);

    const raw = await rawClient(redis.url);
    const keys = await raw.keys('prmkit:client-credentials:*');
    const sealed = (await raw.get(keys[0]!)) ?? '';
    // Flip one bit of the ciphertext.
    const parts = sealed.split('.');
    const data = Buffer.from(parts[2]!, 'base64url');
    data[0] = (data[0] ?? 0) ^ 1;
    await raw.set(keys[0]!, `${parts[0]}.${parts[1]}.${data.toString('base64url')}`);
    await expect(store.get(KEY_A)).rejects.toMatchObject({ code: 'credentials_undecryptable' });

    // The intact value copied under KEY_B's Redis key does not open there.
    await store.set(KEY_B, { tokens: { accessToken: 'b', tokenType: 'Bearer' } });
    await store.set(KEY_A, CREDENTIALS);
    const all = await raw.keys('prmkit:client-credentials:*');
    const values = await Promise.all(all.map((k) => raw.get(k)));
    await raw.set(all[1]!, values[0]!);
    await raw.close();
    const results = await Promise.allSettled([store.get(KEY_A), store.get(KEY_B)]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });
});
