import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { readBody } from '@prmkit/testing';
import { PrmkitConfigError } from '../../src/model/errors.js';
import type { IntrospectionClientAuth } from '../../src/verify/token/introspection-verifier.js';
import { createIntrospectionVerifier } from '../../src/verify/token/index.js';
import type { IntrospectionVerifierOptions } from '../../src/verify/token/index.js';
import { RESOURCE, codeOf, startServer } from './helpers.js';

const ISSUER = 'https://as.example.com';

interface Seen {
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}

type Reply = (res: ServerResponse) => void;
const json =
  (body: unknown, status = 200): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

async function endpoint(reply: () => Reply) {
  const seen: Seen[] = [];
  const srv = await startServer(async (req, res) => {
    seen.push({ headers: req.headers, form: new URLSearchParams(await readBody(req)) });
    reply()(res);
  });
  return { url: `${srv.url}/introspect`, seen };
}

const nowS = () => Math.floor(Date.now() / 1000);
const activeBody = (extra: Record<string, unknown> = {}) => ({
  active: true,
  iss: ISSUER,
  aud: RESOURCE,
  sub: 'user-1',
  client_id: 'client-1',
  scope: 'read',
  iat: nowS(),
  exp: nowS() + 600,
  ...extra,
});

function verifier(url: string, overrides: Partial<IntrospectionVerifierOptions> = {}) {
  return createIntrospectionVerifier({
    endpoint: url,
    clientAuth: { method: 'client_secret_basic', clientId: 'rs', clientSecret: 'secret' },
    resource: RESOURCE,
    issuers: [ISSUER],
    clockTolerance: 0,
    timeout: 500,
    fetch: globalThis.fetch,
    allowHttp: 'loopback',
    ...overrides,
  });
}

describe('createIntrospectionVerifier: sender-constrained tokens', () => {
  it('refuses an active token bound by cnf (DPoP or mTLS): the bearer request carries no proof (RFC 9449 §7.2)', async () => {
    const ep = await endpoint(() => json(activeBody({ cnf: { jkt: 'thumbprint' } })));
    expect(await codeOf(verifier(ep.url).verify('bound-token'))).toBe('claim_invalid');
  });

  it.each([
    ['token_use', { token_use: 'refresh_token' }],
    ['Keycloak typ Refresh', { typ: 'Refresh' }],
    ['Keycloak typ Offline', { typ: 'Offline' }],
    ['token_type', { token_type: 'refresh_token' }],
  ])('refuses a token the server marks as not an access token (%s)', async (_name, extra) => {
    const ep = await endpoint(() => json(activeBody(extra)));
    expect(await codeOf(verifier(ep.url).verify('refresh-token'))).toBe('claim_invalid');
  });

  it('accepts a token marked as an access token', async () => {
    const ep = await endpoint(() =>
      json(activeBody({ token_use: 'access_token', token_type: 'Bearer', typ: 'Bearer' })),
    );
    expect((await verifier(ep.url).verify('access-token')).subject).toBe('user-1');
  });
});

describe('createIntrospectionVerifier', () => {
  it('posts the token as RFC 7662 asks and returns AuthInfo', async () => {
    const ep = await endpoint(() => json(activeBody()));
    const auth = await verifier(ep.url).verify('opaque-token-1');
    expect(auth).toMatchObject({
      subject: 'user-1',
      clientId: 'client-1',
      scopes: ['read'],
      audience: [RESOURCE],
    });
    const [req] = ep.seen;
    expect(req?.form.get('token')).toBe('opaque-token-1');
    expect(req?.form.get('token_type_hint')).toBe('access_token');
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('client_secret_basic form-encodes id and secret before base64 (RFC 6749 §2.3.1)', async () => {
    const ep = await endpoint(() => json(activeBody()));
    const clientAuth: IntrospectionClientAuth = {
      method: 'client_secret_basic',
      clientId: 'my client:1',
      clientSecret: 'p@ss wörd&+',
    };
    await verifier(ep.url, { clientAuth }).verify('t');
    const header = ep.seen[0]?.headers.authorization ?? '';
    expect(header.startsWith('Basic ')).toBe(true);
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    expect(decoded).toBe('my+client%3A1:p%40ss+w%C3%B6rd%26%2B');
    expect(ep.seen[0]?.form.has('client_secret')).toBe(false);
  });

  it('client_secret_post sends the credentials in the body', async () => {
    const ep = await endpoint(() => json(activeBody()));
    await verifier(ep.url, {
      clientAuth: { method: 'client_secret_post', clientId: 'rs', clientSecret: 's3' },
    }).verify('t');
    expect(ep.seen[0]?.form.get('client_id')).toBe('rs');
    expect(ep.seen[0]?.form.get('client_secret')).toBe('s3');
    expect(ep.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('private_key_jwt signs a client assertion (CryptoKey and JWK)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256' };
    for (const key of [privateKey, jwk]) {
      const ep = await endpoint(() => json(activeBody()));
      await verifier(ep.url, {
        clientAuth: {
          method: 'private_key_jwt',
          clientId: 'rs-client',
          privateKey: key,
          algorithm: key === privateKey ? 'ES256' : undefined,
        },
      }).verify('t');
      const form = ep.seen[0]!.form;
      expect(form.get('client_assertion_type')).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
      const { payload } = await jwtVerify(form.get('client_assertion')!, publicKey, {
        audience: ep.url,
      });
      expect(payload).toMatchObject({ iss: 'rs-client', sub: 'rs-client' });
      expect(typeof payload.jti).toBe('string');
      expect(payload.exp! - nowS()).toBeLessThanOrEqual(60);
    }
  });

  it('bearer client auth sends the configured token', async () => {
    const ep = await endpoint(() => json(activeBody()));
    await verifier(ep.url, { clientAuth: { method: 'bearer', token: 'rs-token' } }).verify('t');
    expect(ep.seen[0]?.headers.authorization).toBe('Bearer rs-token');
  });

  it('only the boolean true is active', async () => {
    for (const active of [false, 'true', 1, undefined, null]) {
      const ep = await endpoint(() => json(activeBody({ active })));
      expect(await codeOf(verifier(ep.url).verify('t')), String(active)).toBe('token_inactive');
    }
  });

  it('applies the same claim rules as JWTs', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ aud: `${RESOURCE}-admin` }, 'audience_mismatch'],
      [{ aud: undefined }, 'claim_missing'],
      [{ iss: 'https://evil.example' }, 'issuer_mismatch'],
      [{ exp: nowS() - 5 }, 'token_expired'],
      [{ exp: undefined }, 'claim_missing'],
    ];
    for (const [extra, code] of cases) {
      const ep = await endpoint(() => json(activeBody(extra)));
      expect(await codeOf(verifier(ep.url).verify('t')), code).toBe(code);
    }
    const noIss = await endpoint(() => json(activeBody({ iss: undefined })));
    await expect(verifier(noIss.url).verify('t')).resolves.toBeDefined();
  });

  it('needs no sub, client_id or iat: RFC 7662 §2.2 makes them optional (a client-credentials answer has no sub)', async () => {
    const bare = await endpoint(() =>
      json(activeBody({ sub: undefined, client_id: undefined, iat: undefined })),
    );
    const auth = await verifier(bare.url).verify('t');
    expect(auth.subject).toBeUndefined();
    expect(auth.clientId).toBeUndefined();
    // A client id claim that is present still has to be a string.
    const bad = await endpoint(() => json(activeBody({ client_id: 42 })));
    expect(await codeOf(verifier(bad.url).verify('t'))).toBe('claim_invalid');
  });

  it('caches positive answers, not negative ones', async () => {
    let active = true;
    const ep = await endpoint(() => json(activeBody({ active })));
    const v = verifier(ep.url);
    await v.verify('cached-token');
    await v.verify('cached-token');
    expect(ep.seen).toHaveLength(1);
    await v.verify('another-token');
    expect(ep.seen).toHaveLength(2);
    active = false;
    expect(await codeOf(v.verify('inactive-token'))).toBe('token_inactive');
    expect(await codeOf(v.verify('inactive-token'))).toBe('token_inactive');
    expect(ep.seen).toHaveLength(4);
  });

  it('never keeps a cached answer past exp or cacheMaxAge', async () => {
    let clock = 1_800_000_000;
    const ep = await endpoint(() => json(activeBody({ exp: 1_800_000_010 })));
    const v = verifier(ep.url, { now: () => clock, cacheMaxAge: 60 });
    await v.verify('t');
    clock += 5;
    await v.verify('t');
    expect(ep.seen).toHaveLength(1);
    clock += 5; // exactly exp: cache entry gone, endpoint asked, token expired
    expect(await codeOf(v.verify('t'))).toBe('token_expired');
    expect(ep.seen).toHaveLength(2);

    const ep2 = await endpoint(() => json(activeBody({ exp: 1_900_000_000 })));
    const v2 = verifier(ep2.url, { now: () => clock, cacheMaxAge: 2 });
    await v2.verify('t');
    clock += 3;
    await v2.verify('t');
    expect(ep2.seen).toHaveLength(2);
  });

  it('endpoint failures are introspection_failed', async () => {
    const replies: Reply[] = [
      json({ error: 'server_error' }, 500),
      json({ error: 'invalid_client' }, 401),
      (res) => res.end('not json'),
      json([1, 2]),
      (res) => {
        res.writeHead(302, { location: 'http://127.0.0.1:1/' });
        res.end();
      },
      () => undefined, // never answers
    ];
    for (const reply of replies) {
      const ep = await endpoint(() => reply);
      const started = Date.now();
      expect(await codeOf(verifier(ep.url).verify('t'))).toBe('introspection_failed');
      expect(Date.now() - started).toBeLessThan(1500);
    }
    const down = verifier('http://127.0.0.1:1/introspect');
    expect(await codeOf(down.verify('t'))).toBe('introspection_failed');
  });

  it('refuses a non-https endpoint at construction', () => {
    expect(() => verifier('http://as.example.com/introspect')).toThrow(PrmkitConfigError);
    expect(() => verifier('http://127.0.0.1/introspect', { allowHttp: undefined })).toThrow(
      PrmkitConfigError,
    );
  });
});
