import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { NodeIncomingMessageLike } from '@modelcontextprotocol/node';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import type { AuthInfo } from '@prmkit/core';
import { toSdkAuthInfo } from './auth-info.js';

/** Serves one Node request with the verified caller: what Express, Fastify and Nest call. */
export type NodeMcpServe = (
  req: IncomingMessage,
  res: ServerResponse,
  auth: AuthInfo,
  parsedBody?: unknown,
) => Promise<void>;

/**
 * Wraps the web-standard MCP handler for Node frameworks. The request is handed over
 * through a view that carries the SDK-shaped `authInfo` (instead of overwriting the
 * framework's `req.auth`, which holds prmkit's `AuthInfo`). `parsedBody` is the JSON the
 * adapter already read; the stream is read only when there is none.
 *
 * @example
 * ```ts
 * const serve = nodeMcpServe(createExampleMcpHandler());
 * app.all('/mcp', prm.requireAuth(), (req, res) => serve(req, res, req.auth!, req.body));
 * ```
 * @see MCP basic/transports (Streamable HTTP)
 */
export function nodeMcpServe(handler: McpHttpHandler): NodeMcpServe {
  const serve = toNodeHandler(handler);
  return (req, res, auth, parsedBody) => {
    const view: NodeIncomingMessageLike = {
      method: req.method,
      url: req.url,
      headers: req.headers,
      auth: toSdkAuthInfo(auth),
      [Symbol.asyncIterator]: () => req[Symbol.asyncIterator](),
    };
    return serve(view, res, parsedBody);
  };
}
