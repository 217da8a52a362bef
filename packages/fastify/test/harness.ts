import type { AdapterHarness, ServerTls } from '@prmkit/adapter-tests';
import type { AuthInfo } from '@prmkit/core';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { prmkitPlugin } from '../src/index.js';
import type { ResourceServerConfig } from '@prmkit/core';

export const authJson = (auth: AuthInfo | null): Record<string, unknown> => ({
  subject: auth?.subject,
  clientId: auth?.clientId,
  scopes: auth?.scopes,
  audience: auth?.audience,
  issuer: auth?.issuer,
  actor: auth?.actor,
});

export async function listenOn(
  app: FastifyInstance,
  port: number,
): Promise<{ close(): Promise<void> }> {
  await app.listen({ port, host: '127.0.0.1' });
  return { close: () => app.close() };
}

/** The suite's routes: `requireAuth()` on /mcp, route `config.prmkit` on /mcp/admin. */
async function buildApp(
  config: ResourceServerConfig,
  options: { bodyLimit?: number } = {},
  tls?: ServerTls,
): Promise<FastifyInstance> {
  const app = (
    tls
      ? Fastify({
          forceCloseConnections: true,
          ...options,
          https: { ...tls, requestCert: true, rejectUnauthorized: false },
        })
      : Fastify({ forceCloseConnections: true, ...options })
  ) as FastifyInstance;
  await app.register(prmkitPlugin, { resourceServer: config });
  app.get('/mcp', { preParsing: app.requireAuth() }, async (req) => authJson(req.auth));
  // req.body: Fastify's own parse of the body the plugin replayed.
  app.post('/mcp', { preParsing: app.requireAuth() }, async (req) => ({
    ...authJson(req.auth),
    body: req.body,
  }));
  app.get('/mcp/admin', { config: { prmkit: { scopes: ['mcp:admin'] } } }, async (req) =>
    authJson(req.auth),
  );
  app.get('/public', async (_req, reply) => reply.type('text/plain').send('ok'));
  return app;
}

/** Several resources: `requireAuth()` per backend path, route scopes on the gateway routes. */
async function buildManyApp(configs: readonly ResourceServerConfig[]): Promise<FastifyInstance> {
  const app = Fastify({ forceCloseConnections: true });
  await app.register(prmkitPlugin, { resourceServer: configs });
  for (const url of ['/github/mcp', '/jira/mcp']) {
    app.get(url, { preParsing: app.requireAuth() }, async (req) => authJson(req.auth));
    app.post(url, { preParsing: app.requireAuth() }, async (req) => authJson(req.auth));
  }
  app.get('/gw/github', { config: { prmkit: { scopes: ['mcp:github:read'] } } }, async (req) =>
    authJson(req.auth),
  );
  app.get(
    '/gw/jira',
    { preParsing: app.requireAuth({ scopes: ['mcp:jira:write'] }) },
    async (req) => authJson(req.auth),
  );
  app.get('/public', async (_req, reply) => reply.type('text/plain').send('ok'));
  return app;
}

const BODY_LIMIT = 1024;

export const fastifyHarness: AdapterHarness = {
  start: async ({ port, config, tls }) => listenOn(await buildApp(config, {}, tls), port),
  startMany: async ({ port, configs }) => listenOn(await buildManyApp(configs), port),
  bodyLimit: {
    limit: BODY_LIMIT,
    allTools: 413,
    start: async ({ port, config }) =>
      listenOn(await buildApp(config, { bodyLimit: BODY_LIMIT }), port),
  },
  async inProcess({ config }) {
    const app = await buildApp(config);
    await app.ready();
    return {
      repeatsHeaders: true,
      async send(req) {
        const res = await app.inject({
          method: (req.method ?? 'GET') as 'GET',
          url: req.path,
          headers: req.headers as Record<string, string | string[]>,
          ...(req.body === undefined ? {} : { payload: req.body }),
        });
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          for (const v of [value ?? []].flat()) headers.append(name, String(v));
        return { status: res.statusCode, headers, body: res.body };
      },
      close: () => app.close(),
    };
  },
};
