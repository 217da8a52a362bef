import express from 'express';
import type { Express } from 'express';
import { prmkit } from '@prmkit/express';
import type { ResourceServerConfig } from '@prmkit/core';
import { createExampleMcpHandler, nodeMcpServe } from '@prmkit/example-tools';
import type { McpHttpHandler } from '@modelcontextprotocol/server';

/** The Express app and the MCP handler behind it (closed with the server). */
export interface ExampleExpressApp {
  readonly app: Express;
  readonly mcp: McpHttpHandler;
}

/**
 * The example MCP server as an Express app: RFC 9728 metadata from `prm.metadata`, and
 * `/mcp` (POST for messages; GET/DELETE answered by the SDK) behind `prm.requireAuth()`.
 * The adapter reads the JSON-RPC body itself (per-tool scopes) and leaves it on
 * `req.body`, which goes to the SDK as the parsed body.
 *
 * @example
 * ```ts
 * const { app } = createExpressApp(exampleResourceServerConfig(options, resource));
 * ```
 * @see RFC 9728 §3, RFC 6750 §3
 */
export function createExpressApp(config: ResourceServerConfig): ExampleExpressApp {
  const prm = prmkit(config);
  const mcp = createExampleMcpHandler();
  const serve = nodeMcpServe(mcp);
  const path = new URL(config.resource).pathname;

  const app = express();
  app.disable('x-powered-by');
  app.use(prm.metadata);
  app.all(path, prm.requireAuth(), (req, res, next) => {
    // requireAuth() only calls next() with a verified token.
    if (req.auth === undefined)
      return next(new Error('unreachable: requireAuth() passed without auth'));
    serve(req, res, req.auth, req.body).catch(next);
  });
  return { app, mcp };
}
