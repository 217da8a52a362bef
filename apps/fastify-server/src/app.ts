import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';
import { prmkitPlugin } from '@prmkit/fastify';
import type { ResourceServerConfig } from '@prmkit/core';
import { createExampleMcpHandler, nodeMcpServe } from '@prmkit/example-tools';
import type { McpHttpHandler } from '@modelcontextprotocol/server';

/** The Fastify instance and the MCP handler behind it (closed with the server). */
export interface ExampleFastifyApp {
  readonly app: FastifyInstance;
  readonly mcp: McpHttpHandler;
}

/**
 * The example MCP server as a Fastify app: the prmkit plugin serves the RFC 9728
 * metadata, and `/mcp` is protected by the route's `config.prmkit` (a preParsing hook
 * that sees the JSON-RPC body before Fastify parses it, for per-tool scopes). The reply
 * is handed to the SDK's Node bridge with `reply.hijack()`.
 *
 * @example
 * ```ts
 * const { app } = await createFastifyApp(config);
 * await app.listen({ port: 0, host: '127.0.0.1' });
 * ```
 * @see RFC 9728 §3, RFC 6750 §3
 */
export async function createFastifyApp(
  config: ResourceServerConfig,
  serverFactory?: FastifyServerFactory,
): Promise<ExampleFastifyApp> {
  const mcp = createExampleMcpHandler();
  const serve = nodeMcpServe(mcp);
  const app = Fastify({ logger: false, ...(serverFactory ? { serverFactory } : {}) });
  await app.register(prmkitPlugin, { resourceServer: config });
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: new URL(config.resource).pathname,
    config: { prmkit: {} },
    handler: async (request, reply) => {
      // The preParsing hook only lets requests with a verified token through.
      if (request.auth === null) throw new Error('unreachable: route reached without auth');
      reply.hijack();
      await serve(request.raw, reply.raw, request.auth, request.body ?? undefined);
    },
  });
  return { app, mcp };
}
