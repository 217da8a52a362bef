import { createMemoryStore, type KeyValueStore } from '@prmkit/core/store';
import type { RunningAuthorizationServer } from '@prmkit/authorization-server';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTokenExchanger,
  type ExchangeEvent,
  GatewayError,
  gatewayRefusal,
  type DownstreamTarget,
} from '@prmkit/gateway';
import {
  FILES,
  GATEWAY,
  inboundAuth,
  SEARCH,
  startExchangeAs,
  verifyDownstream,
} from './support.js';

const files: DownstreamTarget = { name: 'files', resource: FILES, scopes: ['mcp:tools'] };
const search: DownstreamTarget = { name: 'search', resource: SEARCH, scopes: ['mcp:tools'] };
const basic = { method: 'client_secret_basic', ...GATEWAY } as const;

/** A real memory store that also remembers every value written (to look for tokens in it). */
function recordingStore(): KeyValueStore & { written: [string, string][] } {
  const store = createMemoryStore();
  const written: [string, string][] = [];
  return {
    written,
    get: (key) => store.get(key),
    delete: (key) => store.delete(key),
    async set(key, value, ttl) {
      written.push([key, value]);
      await store.set(key, value, ttl);
    },
  };
}

async function refusalOf(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GatewayError))
    throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describe('token exchange against the example AS (RFC 8693)', () => {
  let as: RunningAuthorizationServer;
  let keyClient: CryptoKey;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    keyClient = privateKey;
    as = await startExchangeAs({
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] },
    });
  });
  afterAll(() => as.close());

  it('obtains a token whose aud is the downstream and whose act is the gateway', async () => {
    const auth = await inboundAuth(as);
    const exchanger = createTokenExchanger({ issuer: as.issuer, client: basic });
    const token = await exchanger.tokenFor(auth, files);
    expect(token.accessToken).not.toBe(auth.token);
    expect(token.tokenType).toBe('Bearer');
    const claims = await verifyDownstream(as, token.accessToken, FILES);
    expect(claims.act).toEqual({ sub: GATEWAY.clientId });
    expect(claims.sub).toBe(auth.subject);
    expect(token.expiresAt).toBeGreaterThan(Date.now());
  });

  it('authenticates with private_key_jwt', async () => {
    const auth = await inboundAuth(as);
    const exchanger = createTokenExchanger({
      issuer: as.issuer,
      client: {
        method: 'private_key_jwt',
        clientId: 'key-gateway',
        privateKey: keyClient,
        alg: 'ES256',
        kid: 'k1',
      },
    });
    const token = await exchanger.tokenFor(auth, search);
    const claims = await verifyDownstream(as, token.accessToken, SEARCH);
    expect(claims.act).toEqual({ sub: 'key-gateway' });
  });

  it('10 calls with one inbound token make 1 exchange (concurrent calls share it)', async () => {
    const auth = await inboundAuth(as);
    const posts: string[] = [];
    // The real fetch, counted: how many token requests reach the AS.
    const counted: typeof fetch = (input, init) => {
      if (init?.method === 'POST') posts.push(String(input));
      return fetch(input, init);
    };
    const events: ExchangeEvent[] = [];
    const exchanger = createTokenExchanger({
      issuer: as.issuer,
      client: basic,
      fetch: counted,
      onExchange: (event) => events.push(event),
    });
    const first = await Promise.all(
      Array.from({ length: 5 }, () => exchanger.tokenFor(auth, files)),
    );
    const later = [];
    for (let i = 0; i < 5; i += 1) later.push(await exchanger.tokenFor(auth, files));
    expect(posts).toHaveLength(1);
    expect(new Set([...first, ...later].map((t) => t.accessToken)).size).toBe(1);
    expect(events.map((e) => e.source)).toEqual([
      'exchange',
      ...Array<string>(4).fill('shared'),
      ...Array<string>(5).fill('cache'),
    ]);
    // A different target, or another scope set, is another slot: one more exchange each.
    const other = await exchanger.tokenFor(auth, search);
    await exchanger.tokenFor(auth, { ...files, scopes: [] });
    expect(posts).toHaveLength(3);
    expect(other.accessToken).not.toBe(first[0]?.accessToken);
  });

  it('shares exchanged tokens through the store, encrypted and keyed without the token', async () => {
    const auth = await inboundAuth(as);
    const store = recordingStore();
    const events: ExchangeEvent[] = [];
    const options = {
      issuer: as.issuer,
      client: basic,
      store,
      onExchange: (e: ExchangeEvent) => events.push(e),
    };
    const one = await createTokenExchanger(options).tokenFor(auth, files);
    const two = await createTokenExchanger(options).tokenFor(auth, files);
    expect(two.accessToken).toBe(one.accessToken);
    expect(events.map((e) => e.source)).toEqual(['exchange', 'cache']);
    expect(store.written).toHaveLength(1);
    const [key, value] = store.written[0] ?? ['', ''];
    for (const secret of [auth.token, one.accessToken]) {
      expect(key).not.toContain(secret);
      expect(value).not.toContain(secret);
      expect(value).not.toContain(secret.split('.')[1]); // not even the payload
    }
    // Another inbound token never reads this entry.
    const other = await inboundAuth(as);
    const three = await createTokenExchanger(options).tokenFor(other, files);
    expect(three.accessToken).not.toBe(one.accessToken);
  });

  it('does not reuse a token within the expiry margin', async () => {
    const auth = await inboundAuth(as);
    const events: ExchangeEvent[] = [];
    // 900 s tokens, 900 s margin: never worth caching.
    const exchanger = createTokenExchanger({
      issuer: as.issuer,
      client: basic,
      expiryMarginSeconds: 900,
      onExchange: (e) => events.push(e),
    });
    await exchanger.tokenFor(auth, files);
    await exchanger.tokenFor(auth, files);
    expect(events.map((e) => e.source)).toEqual(['exchange', 'exchange']);
  });

  describe('refusals of the AS, mapped for the MCP client', () => {
    const ctx = {
      resourceMetadataUrl: 'http://127.0.0.1:4200/.well-known/oauth-protected-resource/files',
      scopes: ['mcp:tools', 'mcp:admin'],
    };

    it('invalid_scope → 403 insufficient_scope with the scope that would help', async () => {
      const auth = await inboundAuth(as, 'mcp:tools');
      const error = await refusalOf(
        createTokenExchanger({ issuer: as.issuer, client: basic }).tokenFor(auth, {
          ...files,
          scopes: ['mcp:tools', 'mcp:admin'],
        }),
      );
      expect(error.code).toBe('exchange_refused');
      expect(error.oauthError).toBe('invalid_scope');
      const answer = gatewayRefusal(error, ctx, 'files');
      expect(answer.status).toBe(403);
      expect(answer.headers['www-authenticate']).toContain('error="insufficient_scope"');
      expect(answer.headers['www-authenticate']).toContain('scope="mcp:tools mcp:admin"');
      expect(answer.headers['www-authenticate']).toContain(
        `resource_metadata="${ctx.resourceMetadataUrl}"`,
      );
    });

    it('invalid_target → 403 access_denied, no challenge', async () => {
      const auth = await inboundAuth(as);
      const error = await refusalOf(
        createTokenExchanger({ issuer: as.issuer, client: basic }).tokenFor(auth, {
          name: 'elsewhere',
          resource: 'http://127.0.0.1:4299/mcp',
          scopes: [],
        }),
      );
      expect(error.oauthError).toBe('invalid_target');
      const answer = gatewayRefusal(error, ctx);
      expect(answer.status).toBe(403);
      expect(answer.headers['www-authenticate']).toBeUndefined();
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'access_denied' });
    });

    it('a subject token the AS no longer accepts → 401 invalid_token', async () => {
      const auth = await inboundAuth(as);
      const [h, p] = auth.token.split('.');
      const broken = { ...auth, token: `${h}.${p}.AAAA` };
      const error = await refusalOf(
        createTokenExchanger({ issuer: as.issuer, client: basic }).tokenFor(broken, files),
      );
      expect(error.oauthError).toBe('invalid_request');
      const answer = gatewayRefusal(error, ctx);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it("the gateway's own credentials refused → 502, never the inbound token", async () => {
      const auth = await inboundAuth(as);
      const error = await refusalOf(
        createTokenExchanger({
          issuer: as.issuer,
          client: { ...basic, clientSecret: 'not-the-secret-at-all' },
        }).tokenFor(auth, files),
      );
      expect(error.oauthError).toBe('invalid_client');
      expect(gatewayRefusal(error, ctx).status).toBe(502);
      expect(error.message).not.toContain(auth.token);
    });
  });
});

describe('AS down', () => {
  it('→ exchange_unavailable, 503 with Retry-After', async () => {
    const as = await startExchangeAs();
    const auth = await inboundAuth(as);
    const exchanger = createTokenExchanger({ issuer: as.issuer, client: basic, timeoutMs: 2000 });
    await exchanger.tokenFor(auth, files); // metadata known, one token cached
    await as.close();
    const error = await refusalOf(exchanger.tokenFor(auth, search));
    expect(error.code).toBe('exchange_unavailable');
    const answer = gatewayRefusal(error, {
      resourceMetadataUrl: 'http://x/.well-known/oauth-protected-resource',
      scopes: [],
    });
    expect(answer.status).toBe(503);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(answer.headers['www-authenticate']).toBeUndefined();
    // A new exchanger cannot even read the metadata: the same answer.
    const cold = createTokenExchanger({ issuer: as.issuer, client: basic, timeoutMs: 2000 });
    expect((await refusalOf(cold.tokenFor(auth, files))).code).toBe('exchange_unavailable');
  });
});
