import { Hono } from 'hono';
import { prmkit } from '@prmkit/hono';
import type { PrmkitEnv } from '@prmkit/hono';
import type { ResourceServerConfig } from '@prmkit/core';
import { createExampleMcpHandler, toSdkAuthInfo } from '@prmkit/example-tools';
import type { McpHttpHandler } from '@modelcontextprotocol/server';

/** The Hono app and the MCP handler behind it (closed with the server). */
export interface ExampleHonoApp {
  readonly app: Hono<PrmkitEnv>;
  readonly mcp: McpHttpHandler;
}

/**
 * The example MCP server as a Hono app (Web APIs only): `prm.metadata` serves the
 * RFC 9728 document, and `/mcp` runs behind `prm.requireAuth()`, which inspects a copy of
 * the JSON-RPC body; the SDK's web-standard handler gets the untouched request and the
 * verified caller.
 *
 * @example
 * ```ts
 * const { app } = createHonoApp(config);
 * export default app; // any runtime Hono runs on
 * ```
 * @see RFC 9728 §3, RFC 6750 §3
 */
export function createHonoApp(config: ResourceServerConfig): ExampleHonoApp {
  const prm = prmkit(config);
  const mcp = createExampleMcpHandler();
  const app = new Hono<PrmkitEnv>();
  app.use(prm.metadata);
  app.on(
    ['GET', 'POST', 'DELETE'],
    new URL(config.resource).pathname,
    prm.requireAuth(),
    // requireAuth() read a clone of the body, so the SDK's web handler gets the raw request.
    (c) => mcp.fetch(c.req.raw, { authInfo: toSdkAuthInfo(c.get('auth')) }),
  );
  return { app, mcp };
}
