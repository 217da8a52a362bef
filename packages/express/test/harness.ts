import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AdapterHarness, ServerTls } from '@prmkit/adapter-tests';
import type { AuthInfo, ResourceServerConfig } from '@prmkit/core';
import type express from 'express';
import type { Request, Response } from 'express';
import { prmkit } from '../src/index.js';

export const authJson = (auth: AuthInfo | undefined): Record<string, unknown> => ({
  subject: auth?.subject,
  clientId: auth?.clientId,
  scopes: auth?.scopes,
  audience: auth?.audience,
  issuer: auth?.issuer,
  actor: auth?.actor,
});

export function listenOn(
  app: express.Express,
  port: number,
  tls?: ServerTls,
): Promise<{ server: Server; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server: Server = tls
      ? createHttpsServer({ ...tls, requestCert: true, rejectUnauthorized: false }, app).listen(
          port,
          '127.0.0.1',
        )
      : app.listen(port, '127.0.0.1');
    server.once('error', reject);
    server.once('listening', () =>
      resolve({
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      }),
    );
  });
}

/** The default export of `express`: v5, or v4 through the `express4` alias. */
export type ExpressFactory = typeof express;

/** The suite's routes, with no body parser: the adapter reads the JSON body itself. */
function startApp(
  expressFactory: ExpressFactory,
  port: number,
  config: ResourceServerConfig,
  options: { bodyLimit?: number } = {},
  tls?: ServerTls,
) {
  const prm = prmkit(config, options);
  const app = expressFactory();
  app.use(prm.metadata);
  // req.body: what the adapter parsed (no body parser here), as the MCP SDK's parsedBody.
  const handler = (req: Request, res: Response): void => {
    res.json({ ...authJson(req.auth), body: req.body as unknown });
  };
  app.get('/mcp', prm.requireAuth(), handler);
  app.post('/mcp', prm.requireAuth(), handler);
  app.get('/mcp/admin', prm.requireAuth({ scopes: ['mcp:admin'] }), handler);
  app.get('/public', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  return listenOn(app, port, tls);
}

const BODY_LIMIT = 1024;

export const createExpressHarness = (expressFactory: ExpressFactory): AdapterHarness => ({
  start: ({ port, config, tls }) => startApp(expressFactory, port, config, {}, tls),
  bodyLimit: {
    limit: BODY_LIMIT,
    allTools: 413,
    start: ({ port, config }) => startApp(expressFactory, port, config, { bodyLimit: BODY_LIMIT }),
  },
  async startMany({ port, configs }) {
    const prm = prmkit(configs);
    const app = expressFactory();
    app.use(prm.metadata);
    const handler = (req: Request, res: Response): void => {
      res.json(authJson(req.auth));
    };
    for (const path of ['/github/mcp', '/jira/mcp']) {
      app.get(path, prm.requireAuth(), handler);
      app.post(path, prm.requireAuth(), handler);
    }
    app.get('/gw/github', prm.requireAuth({ scopes: ['mcp:github:read'] }), handler);
    app.get('/gw/jira', prm.requireAuth({ scopes: ['mcp:jira:write'] }), handler);
    app.get('/public', (_req, res) => {
      res.type('text/plain').send('ok');
    });
    return listenOn(app, port);
  },
});
