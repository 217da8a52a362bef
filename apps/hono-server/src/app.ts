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

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The example MCP server as a Hono app (Web APIs only): `prm.metadata` serves the
 * RFC 9728 document, and `/mcp` runs behind `prm.requireAuth()`, which reads the JSON-RPC
 * body through Hono's body cache. The SDK's web-standard handler gets the same parsed
 * body (the raw stream is consumed by then) and the verified caller.
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
    async (c) => {
      const isJson = c.req.method === 'POST' && JSON_TYPE.test(c.req.header('content-type') ?? '');
      if (!isJson) return mcp.fetch(c.req.raw, { authInfo: toSdkAuthInfo(c.get('auth')) });
      // requireAuth() read the body through Hono's cache, which drained c.req.raw: hand the
      // SDK a request rebuilt from the cached text, plus the parsed value when it parsed
      // (a malformed body then gets the SDK's own JSON-RPC parse error).
      const text = await c.req.text();
      const parsedBody = await c.req.json<unknown>().catch(() => undefined);
      const request = new Request(c.req.raw, { body: text });
      return mcp.fetch(request, {
        authInfo: toSdkAuthInfo(c.get('auth')),
        ...(parsedBody === undefined ? {} : { parsedBody }),
      });
    },
  );
  return { app, mcp };
}
