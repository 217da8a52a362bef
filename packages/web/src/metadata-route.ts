import { toResourceServer, toResponse } from '@prmkit/core/adapter';
import type { ResourceServerInput } from '@prmkit/core';

/** One route handler: `(request) => Response`, deciding by the request's method and path. */
export type MetadataHandler = (request: Request) => Response;

/**
 * What {@link metadataRoute} returns: the exports of a file-routed framework's route module.
 * Each handler answers any method (GET/HEAD 200 or 304, OPTIONS 204, others 405) and any
 * path that is not a metadata location with 404.
 *
 * @example
 * ```ts
 * export const { GET, HEAD, OPTIONS } = metadataRoute(rs);
 * ```
 * @see RFC 9728 §3
 */
export interface MetadataRoute {
  readonly GET: MetadataHandler;
  readonly HEAD: MetadataHandler;
  readonly OPTIONS: MetadataHandler;
}

/**
 * The RFC 9728 metadata document as route handlers, for frameworks that route by file:
 * in Next.js, `app/.well-known/oauth-protected-resource/[[...path]]/route.ts` (the catch-all
 * serves the path-aware URL `/.well-known/oauth-protected-resource/mcp` and the root alias).
 * ETag, CORS and Cache-Control come from the core. Pass the same resource server as the
 * protected route's, so both answer for one `resource`.
 *
 * @throws PrmkitConfigError at once for a bad configuration.
 * @example
 * ```ts
 * // app/.well-known/oauth-protected-resource/[[...path]]/route.ts
 * import { createResourceServer, metadataRoute } from '@prmkit/web';
 * // the same resource server as app/mcp/route.ts (share it from one module)
 * const rs = createResourceServer({ resource: 'https://api.example.com/mcp', authorizationServers: ['https://auth.example.com'] });
 * export const { GET, HEAD, OPTIONS } = metadataRoute(rs);
 * ```
 * @see RFC 9728 §3.1 (the well-known URL), RFC 9728 §3.2 (the response)
 */
export function metadataRoute(input: ResourceServerInput): MetadataRoute {
  const rs = toResourceServer(input);
  const serve: MetadataHandler = (request) =>
    toResponse(
      rs.handleMetadataRequest({
        method: request.method,
        url: request.url,
        headers: request.headers,
      }),
    );
  return Object.freeze({ GET: serve, HEAD: serve, OPTIONS: serve });
}
