import { createTestIssuer, type TestIssuer } from '@prmkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResourceServer, type ResourceServerConfig } from '../../src/index.js';
import type { AuthorizeDecision } from '../../src/index.js';
import { MAX_ACTOR_DEPTH, readActor } from '../../src/verify/token/actor.js';

// RFC 8693 §4.1: `act` names the current actor; nested `act`s are prior actors,
// informational only. Tokens are real (jose-signed, JWKS over loopback HTTP).
const RESOURCE = 'http://127.0.0.1:1/downstream';
const GATEWAY = 'gateway-client';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE, scope: 'read' });
});
afterAll(() => issuer.close());

const nest = (depth: number): Record<string, unknown> => {
  let act: Record<string, unknown> = { sub: `actor-${depth}` };
  for (let i = depth - 1; i >= 1; i--) act = { sub: `actor-${i}`, act };
  return act;
};

const verifications = {
  jwt: (i: TestIssuer) => ({ jwt: { jwksUri: i.jwksUri } }),
  introspection: (i: TestIssuer) => ({
    introspection: {
      endpoint: i.introspectionEndpoint,
      clientAuth: { method: 'client_secret_basic' as const, clientId: 'rs', clientSecret: 's' },
    },
  }),
};

for (const [kind, verification] of Object.entries(verifications)) {
  describe(`actor (RFC 8693 §4.1) through ${kind}`, () => {
    const server = (extra: Partial<ResourceServerConfig> = {}) =>
      createResourceServer({
        resource: RESOURCE,
        authorizationServers: [issuer.issuer],
        allowHttp: 'loopback',
        tokenCache: false,
        ...verification(issuer),
        ...extra,
      });
    const call = async (rs: ReturnType<typeof server>, claims: Record<string, unknown>) =>
      rs.authorize({
        method: 'GET',
        url: '/downstream',
        headers: { authorization: `Bearer ${await issuer.mint(claims)}` },
      });
    const refusal = async (rs: ReturnType<typeof server>, claims: Record<string, unknown>) => {
      const result = await call(rs, claims);
      expect(result.ok).toBe(false);
      if (result.ok) throw new Error('accepted');
      expect(result.status).toBe(401);
      expect(result.headers['www-authenticate']).toContain('error="invalid_token"');
      return result.error.code;
    };

    it('exposes the actor chain, outermost first', async () => {
      const result = await call(server(), {
        act: { sub: GATEWAY, client_id: GATEWAY, act: { sub: 'first-hop' } },
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.auth.subject).toBe('user-123');
      expect(result.auth.actor).toMatchObject({
        subject: GATEWAY,
        clientId: GATEWAY,
        issuer: undefined,
        actor: { subject: 'first-hop', clientId: undefined },
      });
      expect(result.auth.actor?.actor?.actor).toBeUndefined();
    });

    it('has no actor for a direct token', async () => {
      const result = await call(server(), {});
      expect(result.ok && result.auth.actor).toBeUndefined();
      expect(result.ok).toBe(true);
    });

    it('refuses a malformed act (not an object, a non-string member, too deep)', async () => {
      const rs = server();
      for (const act of ['gateway', ['gateway'], null, 42, { sub: 7 }, { client_id: {} }]) {
        expect(await refusal(rs, { act }), JSON.stringify(act)).toBe('claim_invalid');
      }
      expect(await refusal(rs, { act: nest(MAX_ACTOR_DEPTH + 1) })).toBe('claim_invalid');
      expect((await call(rs, { act: nest(MAX_ACTOR_DEPTH) })).ok).toBe(true);
    });

    it('admits only an allowed current actor', async () => {
      const rs = server({ actor: { allowed: [GATEWAY] } });
      expect((await call(rs, { act: { sub: GATEWAY } })).ok).toBe(true);
      expect((await call(rs, { act: { client_id: GATEWAY, sub: 'svc-acct-9' } })).ok).toBe(true);
      expect(await refusal(rs, { act: { sub: 'other-client' } })).toBe('actor_not_allowed');
      // client_id names the actor when present; a matching sub does not override it.
      expect(await refusal(rs, { act: { sub: GATEWAY, client_id: 'other' } })).toBe(
        'actor_not_allowed',
      );
      // A prior actor is informational: an allowed one deeper in the chain does not count.
      expect(await refusal(rs, { act: { sub: 'other', act: { sub: GATEWAY } } })).toBe(
        'actor_not_allowed',
      );
      // A subject in another issuer's namespace is someone else.
      expect(await refusal(rs, { act: { sub: GATEWAY, iss: 'https://other.example' } })).toBe(
        'actor_not_allowed',
      );
      expect((await call(rs, { act: { sub: GATEWAY, iss: issuer.issuer } })).ok).toBe(true);
      expect(await refusal(rs, { act: {} })).toBe('actor_not_allowed');
    });

    it('refuses a token without an actor unless withoutActor is accept', async () => {
      expect(await refusal(server({ actor: { allowed: [GATEWAY] } }), {})).toBe(
        'actor_not_allowed',
      );
      const lenient = server({ actor: { allowed: [GATEWAY], withoutActor: 'accept' } });
      expect((await call(lenient, {})).ok).toBe(true);
      expect(await refusal(lenient, { act: { sub: 'other' } })).toBe('actor_not_allowed');
    });
  });
}

describe('actor in decision events', () => {
  it('reports the presented actor and the accepted ones, never the token', async () => {
    const decisions: AuthorizeDecision[] = [];
    const rs = createResourceServer({
      resource: RESOURCE,
      authorizationServers: [issuer.issuer],
      allowHttp: 'loopback',
      jwt: { jwksUri: issuer.jwksUri },
      actor: { allowed: [GATEWAY] },
      onDecision: (d) => decisions.push(d),
    });
    const token = await issuer.mint({ act: { sub: 'intruder' } });
    await rs.authorize({
      method: 'GET',
      url: '/downstream',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(decisions[0]).toMatchObject({
      ok: false,
      reason: 'actor_not_allowed',
      expected: { actors: [GATEWAY] },
      received: { actor: 'intruder' },
    });
    expect(JSON.stringify(decisions)).not.toContain(token);
  });
});

describe('readActor', () => {
  it('reads a chain of the maximum depth without recursion limits', () => {
    let depth = 0;
    for (let a = readActor({ act: nest(MAX_ACTOR_DEPTH) }); a; a = a.actor) depth++;
    expect(depth).toBe(MAX_ACTOR_DEPTH);
  });

  it('refuses a cyclic act without looping', () => {
    const act: Record<string, unknown> = { sub: 'loop' };
    act.act = act;
    expect(() => readActor({ act })).toThrowError(
      expect.objectContaining({ code: 'claim_invalid' }),
    );
  });
});

describe('actor configuration', () => {
  const base = { resource: RESOURCE, authorizationServers: ['https://as.example.com'] };
  it('needs at least one allowed actor and a known withoutActor', () => {
    expect(() => createResourceServer({ ...base, actor: { allowed: [] } })).toThrowError(
      /actor\.allowed/,
    );
    expect(() =>
      createResourceServer({ ...base, actor: { allowed: ['x'], withoutActor: 'yes' as never } }),
    ).toThrowError(/actor\.withoutActor/);
  });
  it('is refused with a custom verifier, which would not enforce it', () => {
    expect(() =>
      createResourceServer({
        ...base,
        verifier: { verify: () => Promise.reject(new Error('x')) },
        actor: { allowed: ['x'] },
      }),
    ).toThrowError(/actor/);
  });
});
