import type { ResourceServer } from '@prmkit/core';
import { pathOf, type NestHttpRequest } from './request-auth.js';
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
  const paths = new Set(rs.metadataPaths);
  const serve = (request: NestHttpRequest, response: unknown): void => {
    const result = rs.handleMetadataRequest({
      method: request.method ?? 'GET',
      url: request.originalUrl ?? request.url ?? '/',
      headers: request.headers ?? {},
    });
    writeRaw(response, result);
  };

  const type = adapter.getType();
  if (type === 'express') {
    adapter.getInstance<ExpressAppLike>().use((req, res, next) => {
      if (paths.has(pathOf(req.originalUrl ?? req.url ?? ''))) serve(req, res);
      else next();
    });
  } else if (type === 'fastify') {
    const fastify = adapter.getInstance<FastifyLike>();
    for (const path of paths) {
      fastify.all(path.replaceAll(':', '::'), async (req, reply) => serve(req, reply));
    }
  } else {
    throw new Error(
      `@prmkit/nestjs: unsupported HTTP platform "${type}" (use platform-express or platform-fastify)`,
    );
  }
}
