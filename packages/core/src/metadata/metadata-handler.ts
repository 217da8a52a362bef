import type { MetadataResponse } from '../model/authorize-types.js';
import { ifNoneMatchHits, strongEtag } from './etag.js';
import { headerValue, requestPath } from '../util/headers.js';
import type { RequestLike } from '../model/types.js';

const ALLOW = 'GET, HEAD, OPTIONS';

/** Where the document is served: one path (and query, for a resource with a query). */
export interface MetadataLocation {
  readonly path: string;
  /** Query the request must carry, '' when the resource has none. */
  readonly search: string;
}

/**
 * Builds a request handler for a fixed metadata document. Every response is computed
 * once, so serving it costs a header lookup or two.
 */
export function createMetadataHandler(
  document: object,
  options: { cacheControl: string; locations: readonly MetadataLocation[] },
): (req: RequestLike) => MetadataResponse {
  const body = JSON.stringify(document);
  const etag = strongEtag(body);
  const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag' };
  const ok: MetadataResponse = freeze(
    200,
    {
      'content-type': 'application/json',
      'cache-control': options.cacheControl,
      etag,
      'x-content-type-options': 'nosniff',
      vary: 'Origin',
      ...cors,
    },
    body,
  );
  const head = freeze(200, ok.headers, '');
  const notModified = freeze(
    304,
    {
      'cache-control': options.cacheControl,
      etag,
      vary: 'Origin',
      ...cors,
    },
    '',
  );
  const notAllowed = freeze(
    405,
    { allow: ALLOW, 'content-type': 'application/json', ...cors },
    '{"error":"method_not_allowed"}',
  );
  const notFound = freeze(
    404,
    { 'content-type': 'application/json', ...cors },
    '{"error":"not_found"}',
  );

  return (req) => {
    if (options.locations.length > 0) {
      const where = requestPath(req.url);
      if (
        !where ||
        !options.locations.some(
          (l) => l.path === where.path && (l.search === '' || l.search === where.search),
        )
      ) {
        return notFound;
      }
    }
    switch (req.method.toUpperCase()) {
      case 'GET':
      case 'HEAD': {
        const hit = ifNoneMatchHits(headerValue(req.headers, 'if-none-match'), etag);
        if (hit) return notModified;
        return req.method.toUpperCase() === 'GET' ? ok : head;
      }
      case 'OPTIONS': {
        // CORS preflight (Fetch standard): any origin may read public metadata.
        const requested = headerValue(req.headers, 'access-control-request-headers');
        return freeze(
          204,
          {
            allow: ALLOW,
            'access-control-allow-origin': '*',
            'access-control-allow-methods': ALLOW,
            'access-control-allow-headers':
              sanitizeHeaderList(requested) ?? 'Accept, If-None-Match, MCP-Protocol-Version',
            'access-control-max-age': '86400',
          },
          '',
        );
      }
      default:
        return notAllowed;
    }
  };
}

/** Echo only a syntactically clean header-name list back into a response header. */
function sanitizeHeaderList(value: string | undefined): string | undefined {
  if (
    !value ||
    value.length > 1024 ||
    !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/.test(value.trim())
  ) {
    return undefined;
  }
  return value.trim();
}

function freeze(
  status: MetadataResponse['status'],
  headers: Record<string, string>,
  body: string,
): MetadataResponse {
  return Object.freeze({ status, headers: Object.freeze({ ...headers }), body });
}
