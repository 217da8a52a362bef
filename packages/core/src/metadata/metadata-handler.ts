import type { MetadataResponse } from '../model/authorize-types.js';
import { ifNoneMatchHits, strongEtag } from './etag.js';
import { headerValue, requestPath } from '../util/headers.js';
import type { RequestLike } from '../model/types.js';

const ALLOW = 'GET, HEAD, OPTIONS';
const CORS = Object.freeze({
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'ETag',
});

/** Where the document is served: one path (and query, for a resource with a query). */
export interface MetadataLocation {
  readonly path: string;
  /** Query the request must carry, '' when the resource has none. */
  readonly search: string;
}

/**
 * The responses for one version of a JSON document (the metadata, or a JWKS), computed
 * once: 200, its HEAD twin and the 304.
 */
export interface DocumentEdition {
  readonly etag: string;
  readonly ok: MetadataResponse;
  readonly head: MetadataResponse;
  readonly notModified: MetadataResponse;
}

/**
 * What the handler serves right now: an edition, or a ready-made answer (a 503 while a
 * signed document is being produced). Called on every request, so it must be cheap.
 */
export type EditionSource = () => DocumentEdition | MetadataResponse;

/**
 * The responses for `document` with this `Cache-Control`. A new document (a re-signed
 * one, say) has a new body and so a new strong ETag.
 */
export function documentEdition(document: object, cacheControl: string): DocumentEdition {
  const body = JSON.stringify(document);
  const etag = strongEtag(body);
  const ok = freeze(
    200,
    {
      'content-type': 'application/json',
      'cache-control': cacheControl,
      etag,
      'x-content-type-options': 'nosniff',
      vary: 'Origin',
      ...CORS,
    },
    body,
  );
  return Object.freeze({
    etag,
    ok,
    head: freeze(200, ok.headers, ''),
    notModified: freeze(304, { 'cache-control': cacheControl, etag, vary: 'Origin', ...CORS }, ''),
  });
}

/**
 * 503 with `Retry-After` and `no-store`: the document cannot be served yet (its signature is
 * being made, or making it failed). Fail closed: a server configured to sign never serves
 * its metadata unsigned.
 */
export function unavailableResponse(retryAfterSeconds: number): MetadataResponse {
  return freeze(
    503,
    {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'retry-after': String(retryAfterSeconds),
      ...CORS,
    },
    '{"error":"temporarily_unavailable"}',
  );
}

/**
 * Builds a request handler for metadata documents. `source` gives the document's current
 * edition at `locations`; `extra` serves other fixed documents by exact path (the
 * resource's JWKS). Every response is computed ahead, so serving costs a header lookup or two.
 */
export function createMetadataHandler(
  document: object | EditionSource,
  options: {
    cacheControl: string;
    locations: readonly MetadataLocation[];
    extra?: ReadonlyMap<string, EditionSource>;
  },
): (req: RequestLike) => MetadataResponse {
  const fixed =
    typeof document === 'function' ? undefined : documentEdition(document, options.cacheControl);
  const source: EditionSource =
    typeof document === 'function' ? (document as EditionSource) : () => fixed as DocumentEdition;
  const notAllowed = freeze(
    405,
    { allow: ALLOW, 'content-type': 'application/json', ...CORS },
    '{"error":"method_not_allowed"}',
  );
  const notFound = freeze(
    404,
    { 'content-type': 'application/json', ...CORS },
    '{"error":"not_found"}',
  );

  return (req) => {
    let serve = source;
    if (options.locations.length > 0) {
      const where = requestPath(req.url);
      const other = where && where.search === '' ? options.extra?.get(where.path) : undefined;
      if (other) serve = other;
      else if (
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
        const edition = serve();
        if (!('etag' in edition)) return edition;
        const hit = ifNoneMatchHits(headerValue(req.headers, 'if-none-match'), edition.etag);
        if (hit) return edition.notModified;
        return req.method.toUpperCase() === 'GET' ? edition.ok : edition.head;
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
