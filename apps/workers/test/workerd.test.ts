import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkersKvStore } from '@prmkit/core/store';
import { parseWwwAuthenticate } from '@prmkit/core';
import { createTestIssuer, type TestIssuer } from '@prmkit/testing';
import { describeStoreContract } from '@prmkit/testing/store-contract';
import { bundleWorker } from './bundle.js';

// The Hono and Web adapters inside real workerd (the binary the miniflare npm package ships), not
// Node: Web APIs only, module-scope state per isolate, outbound fetch to a loopback JWKS.

const ORIGIN = 'https://mcp.example.workers.dev';
const kvDir = mkdtempSync(join(tmpdir(), 'prmkit-kv-'));
let issuer: TestIssuer;
let script: string;
const instances: Miniflare[] = [];

/** One workerd process running the Worker; instances share `kvDir` like two locations share KV. */
async function startWorker(): Promise<Miniflare> {
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2025-09-01',
    bindings: {
      PUBLIC_ORIGIN: ORIGIN,
      PRMKIT_ISSUER: issuer.issuer,
      PRMKIT_JWKS_URI: issuer.jwksUri,
      PRMKIT_INTROSPECTION_ENDPOINT: issuer.introspectionEndpoint,
      PRMKIT_INTROSPECTION_CLIENT_ID: 'worker',
      PRMKIT_INTROSPECTION_CLIENT_SECRET: 'worker-secret',
    },
    kvNamespaces: ['PRMKIT_KV'],
    kvPersist: kvDir,
  });
  instances.push(mf);
  await mf.ready;
  return mf;
}

const post = (mf: Miniflare, path: string, token?: string) =>
  mf.dispatchFetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
const requestsTo = (path: string): number => issuer.requests.filter((r) => r.path === path).length;

beforeAll(async () => {
  issuer = await createTestIssuer({ alg: 'ES256', audience: `${ORIGIN}/mcp`, scope: 'mcp:tools' });
  script = await bundleWorker();
});
afterAll(async () => {
  await Promise.all(instances.map((mf) => mf.dispose()));
  await issuer?.close();
  rmSync(kvDir, { recursive: true, force: true });
});

describe('Hono on workerd', () => {
  let mf: Miniflare;
  beforeAll(async () => {
    mf = await startWorker();
  });

  it('serves the RFC 9728 metadata', async () => {
    const res = await mf.dispatchFetch(`${ORIGIN}/.well-known/oauth-protected-resource/mcp`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      resource: `${ORIGIN}/mcp`,
      authorization_servers: [issuer.issuer],
    });
  });

  it('401 with the challenge when there is no token', async () => {
    const res = await post(mf, '/mcp');
    await res.arrayBuffer();
    expect(res.status).toBe(401);
    const [challenge] = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
    expect(challenge?.scheme).toBe('Bearer');
    expect(challenge?.params['resource_metadata']).toBe(
      `${ORIGIN}/.well-known/oauth-protected-resource/mcp`,
    );
  });

  it('200 for tokens whose keys come from the loopback JWKS; the JWKS is fetched once for 25 requests', async () => {
    const before = requestsTo('/jwks');
    for (let i = 0; i < 25; i++) {
      // A distinct token each time, so every request verifies a signature.
      const token = await issuer.mint({ sub: `user-${i}` });
      const res = await post(mf, '/mcp', token);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await res.json()).toEqual({ subject: `user-${i}` });
    }
    expect(requestsTo('/jwks') - before).toBe(1);
    // A forged signature (a key not in the JWKS) is refused.
    const forged = await issuer.mint({}, { key: 'other' });
    const res = await post(mf, '/mcp', forged);
    await res.arrayBuffer();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('introspection cached in Workers KV: a second workerd (another location) reuses the answer', async () => {
    const token = await issuer.mint({ aud: `${ORIGIN}/opaque/mcp`, sub: 'kv-user' });
    const before = requestsTo('/introspect');
    const first = await post(mf, '/opaque/mcp', token);
    expect(first.status, await first.clone().text()).toBe(200);
    expect(requestsTo('/introspect') - before).toBe(1);

    const other = await startWorker();
    const second = await post(other, '/opaque/mcp', token);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ subject: 'kv-user' });
    expect(requestsTo('/introspect') - before).toBe(1);

    // KV holds the SHA-256 of the token, never the token.
    const kv = (await other.getKVNamespace('PRMKIT_KV')) as unknown as {
      list(): Promise<{ keys: { name: string }[] }>;
      get(key: string): Promise<string | null>;
    };
    const { keys } = await kv.list();
    expect(keys.map((k) => k.name)).toEqual([
      expect.stringMatching(/^introspection:[A-Za-z0-9_-]{43}$/),
    ]);
    for (const { name } of keys) {
      expect(name).not.toContain(token);
      expect(await kv.get(name)).not.toContain(token);
    }
  });
});

describe("@prmkit/web on workerd (the Worker's own fetch, no framework)", () => {
  let mf: Miniflare;
  const resource = `${ORIGIN}/web/mcp`;
  const call = (token: string | undefined, tool: string) =>
    mf.dispatchFetch(resource, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool } }),
    });
  beforeAll(async () => {
    mf = await startWorker();
  });

  it('serves its metadata at the path-aware URL', async () => {
    const res = await mf.dispatchFetch(`${ORIGIN}/.well-known/oauth-protected-resource/web/mcp`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ resource, authorization_servers: [issuer.issuer] });
  });

  it('401 naming that metadata without a token', async () => {
    const res = await call(undefined, 'echo');
    await res.arrayBuffer();
    expect(res.status).toBe(401);
    const [challenge] = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
    expect(challenge?.params['resource_metadata']).toBe(
      `${ORIGIN}/.well-known/oauth-protected-resource/web/mcp`,
    );
  });

  it('200 with a real token: the handler gets env and the unread body', async () => {
    const token = await issuer.mint({ aud: resource, sub: 'web-user' });
    const res = await call(token, 'echo');
    expect(res.status, await res.clone().text()).toBe(200);
    const json = (await res.json()) as { subject: string; origin: string; body: string };
    expect(json).toMatchObject({ subject: 'web-user', origin: ORIGIN });
    expect(JSON.parse(json.body)).toMatchObject({ params: { name: 'echo' } });
  });

  it('403 insufficient_scope for a tool needing mcp:admin; 200 with it', async () => {
    const low = await issuer.mint({ aud: resource });
    const denied = await call(low, 'admin_stats');
    await denied.arrayBuffer();
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    const high = await issuer.mint({ aud: resource, scope: 'mcp:tools mcp:admin' });
    const allowed = await call(high, 'admin_stats');
    await allowed.arrayBuffer();
    expect(allowed.status).toBe(200);
  });
});

describeStoreContract('Workers KV (miniflare)', {
  atomic: false,
  async create() {
    const mf = await startWorker();
    const kv = await mf.getKVNamespace('PRMKIT_KV');
    return createWorkersKvStore(kv as unknown as Parameters<typeof createWorkersKvStore>[0]);
  },
});
