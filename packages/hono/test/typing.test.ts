import type { AuthInfo } from '@prmkit/core';
import type { ResourceServerConfig } from '@prmkit/core';
import { startFixture } from '@prmkit/adapter-tests';
import type { SuiteFixture } from '@prmkit/adapter-tests';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { prmkit } from '../src/index.js';
import type { PrmkitEnv, ProtectedEnv } from '../src/index.js';

// Issue #13 point 7: `c.get('auth')` is `AuthInfo` only after `requireAuth()`. These
// checks are compile-time (`pnpm typecheck` runs tsc over test/): removing the
// `| undefined` from PrmkitVariables makes the @ts-expect-error below an error.
describe('hono: c.get("auth") typing', () => {
  let fx: SuiteFixture;
  beforeAll(async () => {
    fx = await startFixture({ start: async () => ({ close: async () => undefined }) });
  });
  afterAll(() => fx?.close());

  const build = (config: ResourceServerConfig): Hono<PrmkitEnv> => {
    const prm = prmkit(config);
    const app = new Hono<PrmkitEnv>();
    app.post('/mcp', prm.requireAuth(), (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<AuthInfo>();
      return c.json({ subject: c.get('auth').subject ?? null });
    });
    app.get('/open', (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<AuthInfo | undefined>();
      // Never called: at run time this is the 500 the typing now prevents.
      const unchecked = (): string | undefined =>
        // @ts-expect-error possibly undefined on a route without requireAuth()
        c.get('auth').subject;
      void unchecked;
      return c.json({ signedIn: c.get('auth') !== undefined });
    });
    return app;
  };

  it('a protected handler sees the token; an unprotected one sees undefined at run time too', async () => {
    const app = build(fx.config);
    const token = await fx.mint();
    const ok = await app.request('/mcp', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ subject: 'user-123' });
    const open = await app.request('/open');
    expect(await open.json()).toEqual({ signedIn: false });
  });

  it('ProtectedEnv types handlers written apart from the route', () => {
    const handler = (c: Context<ProtectedEnv>): string | undefined => c.get('auth').subject;
    expectTypeOf(handler).parameter(0).toEqualTypeOf<Context<ProtectedEnv>>();
  });
});
