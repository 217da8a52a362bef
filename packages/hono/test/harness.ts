import type { AdapterHarness, RunningServer, ServerTls } from '@prmkit/adapter-tests';
import type { AuthInfo } from '@prmkit/core';
import { serve } from '@hono/node-server';
import { createServer as createHttpsServer } from 'node:https';
import { Hono } from 'hono';
import { prmkit } from '../src/index.js';
import type { PrmkitEnv } from '../src/index.js';
import type { ResourceServerConfig } from '@prmkit/core';

export const authJson = (auth: AuthInfo): Record<string, unknown> => ({
  subject: auth.subject,
  clientId: auth.clientId,
  scopes: auth.scopes,
  audience: auth.audience,
  issuer: auth.issuer,
  actor: auth.actor,
});

/** The suite's routes on a Hono app (no server). */
export function buildApp(
  config: ResourceServerConfig,
  options: { bodyLimit?: number } = {},
): Hono<PrmkitEnv> {
  const prm = prmkit(config, options);
  const app = new Hono<PrmkitEnv>();
  app.use(prm.metadata);
  app.get('/mcp', prm.requireAuth(), (c) => c.json(authJson(c.get('auth'))));
  // The handler reads the body itself after the check (c.req.json() when there is one).
  app.post('/mcp', prm.requireAuth(), async (c) => {
    const body = (await c.req.text()) === '' ? undefined : await c.req.json<unknown>();
    return c.json({ ...authJson(c.get('auth')), body });
  });
  app.get('/mcp/admin', prm.requireAuth({ scopes: ['mcp:admin'] }), (c) =>
    c.json(authJson(c.get('auth'))),
  );
  app.get('/public', (c) => c.text('ok'));
  return app;
}

/** Several resources in one app: one middleware set, each route decided by its owner. */
export function buildManyApp(configs: readonly ResourceServerConfig[]): Hono<PrmkitEnv> {
  const prm = prmkit(configs);
  const app = new Hono<PrmkitEnv>();
  app.use(prm.metadata);
  for (const path of ['/github/mcp', '/jira/mcp']) {
    app.get(path, prm.requireAuth(), (c) => c.json(authJson(c.get('auth'))));
    app.post(path, prm.requireAuth(), (c) => c.json(authJson(c.get('auth'))));
  }
  app.get('/gw/github', prm.requireAuth({ scopes: ['mcp:github:read'] }), (c) =>
    c.json(authJson(c.get('auth'))),
  );
  app.get('/gw/jira', prm.requireAuth({ scopes: ['mcp:jira:write'] }), (c) =>
    c.json(authJson(c.get('auth'))),
  );
  app.get('/public', (c) => c.text('ok'));
  return app;
}

const BODY_LIMIT = 1024;

async function listen(app: Hono<PrmkitEnv>, port: number, tls?: ServerTls): Promise<RunningServer> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const options = { fetch: app.fetch, port, hostname: '127.0.0.1' };
    const s = tls
      ? serve(
          {
            ...options,
            createServer: createHttpsServer,
            serverOptions: { ...tls, requestCert: true, rejectUnauthorized: false },
          },
          () => resolve(s),
        )
      : serve(options, () => resolve(s));
  });
  return {
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

export const honoHarness: AdapterHarness = {
  bodyReader: 'handler',
  startMany: async ({ port, configs }) => listen(buildManyApp(configs), port),
  async inProcess({ config }) {
    const app = buildApp(config);
    return {
      repeatsHeaders: false, // a Web Headers joins two lines into one
      async send(req) {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers ?? {}))
          for (const v of [value].flat()) headers.append(name, v);
        const res = await app.request(req.path, {
          method: req.method ?? 'GET',
          headers,
          body: req.body,
        });
        return { status: res.status, headers: res.headers, body: await res.text() };
      },
      close: async () => undefined,
    };
  },
  start: ({ port, config, tls }) => listen(buildApp(config), port, tls),
  bodyLimit: {
    limit: BODY_LIMIT,
    // Hono does not read a body over the limit, so the tool is unknown: every tool scope;
    // with them, the handler reads the body itself.
    allTools: 200,
    start: ({ port, config }) => listen(buildApp(config, { bodyLimit: BODY_LIMIT }), port),
  },
};
