import type { ResourceServer } from '@prmkit/core';
import { sendReply, writeNodeResponse } from '@prmkit/core/adapter';
import type { NodeResponseLike, ReplyLike } from '@prmkit/core/adapter';
import type { NestHttpRequest } from './request-auth.js';

/** The part of Nest's `AbstractHttpAdapter` used to mount routes. */
export interface HttpAdapterLike {
  getType(): string;
  getInstance<T>(): T;
}

type Middleware = (req: NestHttpRequest, res: NodeResponseLike, next: () => void) => void;
type Route = (req: NestHttpRequest, reply: ReplyLike) => Promise<void>;

/**
 * Serves `rs.metadataPaths` on the platform directly, outside Nest's router: no guard,
 * no global prefix, and every method reaches the core (GET, HEAD, OPTIONS, 405 + Allow).
 * Express: one middleware (the core matches the exact path); Fastify: one route per path.
 */
export function mountMetadataRoutes(adapter: HttpAdapterLike, rs: ResourceServer): void {
  const answer = (req: NestHttpRequest) =>
    rs.handleMetadataRequest({
      method: req.method ?? 'GET',
      url: req.originalUrl ?? req.url ?? '/',
      headers: req.headers ?? {},
    });
  const type = adapter.getType();
  if (type === 'express') {
    adapter.getInstance<{ use(handler: Middleware): unknown }>().use((req, res, next) => {
      const result = answer(req); // 404: not a metadata location; the app goes on
      if (result.status === 404) next();
      else writeNodeResponse(res, result);
    });
  } else if (type === 'fastify') {
    const fastify = adapter.getInstance<{ all(path: string, handler: Route): unknown }>();
    for (const path of rs.metadataPaths) {
      // `:` escaped for find-my-way
      fastify.all(
        path.replaceAll(':', '::'),
        async (req, reply) => void sendReply(reply, answer(req)),
      );
    }
  } else {
    throw new Error(
      `@prmkit/nestjs: unsupported HTTP platform "${type}" (use platform-express or platform-fastify)`,
    );
  }
}
