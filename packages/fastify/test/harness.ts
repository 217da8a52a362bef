import type { AdapterHarness } from '@prmkit/adapter-tests';
import type { AuthInfo } from '@prmkit/core';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { prmkitPlugin } from '../src/index.js';

export const authJson = (auth: AuthInfo | null): Record<string, unknown> => ({
  subject: auth?.subject,
  clientId: auth?.clientId,
  scopes: auth?.scopes,
  audience: auth?.audience,
  issuer: auth?.issuer,
});

export async function listenOn(
  app: FastifyInstance,
  port: number,
): Promise<{ close(): Promise<void> }> {
  await app.listen({ port, host: '127.0.0.1' });
  return { close: () => app.close() };
}

/** The suite's routes: `requireAuth()` on /mcp, route `config.prmkit` on /mcp/admin. */
export const fastifyHarness: AdapterHarness = {
  async start({ port, config }) {
    const app = Fastify({ forceCloseConnections: true });
    await app.register(prmkitPlugin, { resourceServer: config });
    app.get('/mcp', { preParsing: app.requireAuth() }, async (req) => authJson(req.auth));
    app.post('/mcp', { preParsing: app.requireAuth() }, async (req) => authJson(req.auth));
    app.get('/mcp/admin', { config: { prmkit: { scopes: ['mcp:admin'] } } }, async (req) =>
      authJson(req.auth),
    );
    app.get('/public', async (_req, reply) => reply.type('text/plain').send('ok'));
    return listenOn(app, port);
  },
};
