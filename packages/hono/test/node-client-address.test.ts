import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prmkit } from '../src/node.js';

// On @hono/node-server the Node entry counts refusals per client address (the socket's
// peer) by default, so a client cycling through garbage tokens is still limited.
describe('@prmkit/hono on Node: clientAddress defaults to the socket peer', () => {
  let server: ReturnType<typeof serve>;
  let base: string;
  const config = {
    resource: 'http://127.0.0.1:1/mcp',
    authorizationServers: ['http://127.0.0.1:2'],
    jwt: { jwksUri: 'http://127.0.0.1:2/jwks' },
    allowHttp: 'loopback' as const,
    rateLimit: { maxFailures: 2, windowSeconds: 60 },
  };
  const start = async (app: Hono) =>
    new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
  const statuses = async (url: string) => {
    const out: number[] = [];
    // Three different malformed tokens: never the same token twice.
    for (const token of ['garbage1', 'garbage2', 'garbage3']) {
      out.push((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status);
    }
    return out;
  };

  beforeAll(async () => {
    const app = new Hono();
    app.get('/mcp', prmkit(config).requireAuth(), (c) => c.text('ok'));
    app.get('/none', prmkit(config, { clientAddress: () => undefined }).requireAuth(), (c) =>
      c.text('ok'),
    );
    server = await start(app);
    const address = server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(
    () =>
      new Promise<void>((done) => {
        server.close(() => done());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  );

  it('the third refusal from one address within the window is 429', async () => {
    expect(await statuses(`${base}/mcp`)).toEqual([401, 401, 429]);
  });

  it('an explicit clientAddress still wins (here: none, so only per-token counts apply)', async () => {
    expect(await statuses(`${base}/none`)).toEqual([401, 401, 401]);
  });
});
