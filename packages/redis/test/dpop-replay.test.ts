// DPoP (RFC 9449 §11.1) across instances: two resource servers sharing one real Redis see
// each other's proof jti's, so a proof replayed against the other instance is refused.
import { afterAll, describe, expect, it } from 'vitest';
import { createResourceServer } from '@prmkit/core';
import { createDpopTestKey, createTestIssuer } from '@prmkit/testing';
import { createRedisStore } from '@prmkit/redis';
import { REDIS_SERVER, startRedis, stopAllRedis } from './redis-fixture.js';

const RESOURCE = 'http://127.0.0.1:4000/mcp';
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  await stopAllRedis();
});

describe.skipIf(REDIS_SERVER === undefined)('DPoP replay detection on Redis', () => {
  it('refuses on instance B a proof already used on instance A', async () => {
    const redis = await startRedis();
    const issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools' });
    closers.push(() => issuer.close());
    const stores = [createRedisStore({ url: redis.url }), createRedisStore({ url: redis.url })];
    for (const s of stores) {
      closers.push(() => s.close());
      await s.ready;
    }
    const [a, b] = stores.map((store) =>
      createResourceServer({
        resource: RESOURCE,
        authorizationServers: [issuer.issuer],
        allowHttp: 'loopback',
        jwt: { jwksUri: issuer.jwksUri },
        dpop: { mode: 'required' },
        store,
      }),
    );
    const key = await createDpopTestKey();
    const token = await issuer.mint({ cnf: { jkt: key.jkt } });
    const request = {
      method: 'GET',
      url: '/mcp',
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await key.proof({ method: 'GET', url: RESOURCE, accessToken: token }),
      },
    };
    expect((await a!.authorize(request)).ok).toBe(true);
    const replay = await b!.authorize(request);
    expect(replay).toMatchObject({ ok: false, error: { code: 'dpop_proof_replayed' } });
    // A fresh proof is fine on B.
    const fresh = {
      ...request,
      headers: {
        ...request.headers,
        dpop: await key.proof({ method: 'GET', url: RESOURCE, accessToken: token }),
      },
    };
    expect((await b!.authorize(fresh)).ok).toBe(true);
  });
});
