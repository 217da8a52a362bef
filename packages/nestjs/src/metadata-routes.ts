import type { ResourceServer } from '@prmkit/core';
import type { NestHttpRequest } from './request-auth.js';
import { writeRaw } from './write-response.js';

/** The part of Nest's `AbstractHttpAdapter` used to mount routes. */
export interface HttpAdapterLike {
  getType(): string;
  getInstance<T = unknown>(): T;
}

interface ExpressAppLike {
  use(handler: (req: NestHttpRequest, res: unknown, next: () => void) => void): unknown;
}

interface FastifyLike {
  all(path: string, handler: (req: NestHttpRequest, reply: unknown) => Promise<void>): unknown;
}

/**
 * Serves `rs.metadataPaths` on the platform directly, outside Nest's router: no guard,
 * no global prefix, and every method reaches the core (GET, HEAD, OPTIONS, 405 + Allow).
 * Express: one middleware comparing the exact path (no path-pattern syntax involved).
 * Fastify: one route per path (`:` escaped for find-my-way).
 */
export function mountMetadataRoutes(adapter: HttpAdapterLike, rs: ResourceServer): void {
  const answer = (request: NestHttpRequest) =>
    rs.handleMetadataRequest({
      method: request.method ?? 'GET',
      url: request.originalUrl ?? request.url ?? '/',
      headers: request.headers ?? {},
    });

  const type = adapter.getType();
  if (type === 'express') {
    adapter.getInstance<ExpressAppLike>().use((req, res, next) => {
      // 404: not a metadata location (the core decides); the app goes on.
      const result = answer(req);
      if (result.status === 404) next();
      else writeRaw(res, result);
    });
  } else if (type === 'fastify') {
    const fastify = adapter.getInstance<FastifyLike>();
    for (const path of rs.metadataPaths) {
      fastify.all(path.replaceAll(':', '::'), async (req, reply) => writeRaw(reply, answer(req)));
    }
  } else {
    throw new Error(
      `@prmkit/nestjs: unsupported HTTP platform "${type}" (use platform-express or platform-fastify)`,
    );
  }
}
