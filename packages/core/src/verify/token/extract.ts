import type { BearerMethod } from '../../model/types.js';
import { TokenError } from '../../model/errors.js';
import { headerValues, isWebHeaders } from '../../util/headers.js';
import type { RequestLike } from '../../model/types.js';
import type { HeadersLike } from '../../util/headers.js';
import { isToken } from '../../www-authenticate/charsets.js';

/** RFC 6750 §2.1 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Options of {@link extractBearerToken}. */
export interface ExtractOptions {
  /** Where a token may be presented. MCP allows only `['header']`. */
  readonly methods: readonly BearerMethod[];
  /** Longest token accepted, in characters; checked before any parsing of the token. */
  readonly maxLength: number;
  /** Also accept the `DPoP` scheme (RFC 9449 §7.1) in the Authorization header. */
  readonly dpop?: boolean;
}

/** A bearer token found in a request, and where it was found. */
export interface ExtractedToken {
  readonly token: string;
  readonly method: BearerMethod;
  /** `DPoP` for `Authorization: DPoP` (only with `dpop`), else `Bearer`. */
  readonly scheme: 'Bearer' | 'DPoP';
}

function authorizationHeader(headers: HeadersLike): string | undefined {
  const values = headerValues(headers, 'authorization');
  if (values.length > 1) {
    throw new TokenError(
      'multiple_authorization_headers',
      'more than one Authorization header was sent',
    );
  }
  const value = values[0];
  if (value === undefined) return undefined;
  // A Web `Headers` joins repeated headers with ", "; a comma is never part of a bearer token.
  if (isWebHeaders(headers) && value.includes(',')) {
    throw new TokenError(
      'multiple_authorization_headers',
      'more than one Authorization header was sent',
    );
  }
  return value;
}

function bodyToken(req: RequestLike): string | undefined {
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const value = (body as Record<string, unknown>).access_token;
  if (value === undefined) return undefined;
  if (req.method.toUpperCase() === 'GET') return undefined;
  const contentType = headerValues(req.headers, 'content-type')[0];
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  // RFC 6750 §2.2: only a form-encoded body carries a token; a JSON field of that name does not.
  if (mediaType !== 'application/x-www-form-urlencoded') return undefined;
  if (typeof value !== 'string') {
    throw new TokenError(
      'invalid_request',
      'the access_token form parameter must be a single string',
    );
  }
  return value;
}

const NO_QUERY_TOKENS: readonly string[] = Object.freeze([]);

function queryTokens(url: string): readonly string[] {
  const query = url.indexOf('?');
  if (query === -1) return NO_QUERY_TOKENS;
  const hash = url.indexOf('#', query);
  const search = url.slice(query + 1, hash === -1 ? undefined : hash);
  return new URLSearchParams(search).getAll('access_token');
}

// The last token that passed the syntax check: an MCP client sends the same token on every
// request, and comparing two strings is cheaper than running the pattern over a kilobyte.
let lastWellFormed = '';

function checkToken(token: string, maxLength: number, where: string): string {
  if (token.length === 0) throw new TokenError('token_malformed', `empty bearer token in ${where}`);
  if (token.length > maxLength) {
    throw new TokenError('token_too_large', `bearer token longer than ${maxLength} characters`);
  }
  if (token === lastWellFormed) return token;
  if (!B64TOKEN.test(token)) {
    throw new TokenError(
      'token_malformed',
      `bearer token in ${where} is not a valid b64token (RFC 6750 §2.1)`,
    );
  }
  lastWellFormed = token;
  return token;
}

function parseAuthorization(value: string, maxLength: number, dpop: boolean): ExtractedToken {
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  const lower = scheme.toLowerCase();
  const isDpop = dpop && lower === 'dpop';
  if (lower !== 'bearer' && !isDpop) {
    // RFC 6750 §3.1: another (well-formed) scheme is an unsupported method, i.e. no bearer
    // credentials: the bare challenge, which is what starts an MCP client's OAuth flow.
    if (isToken(scheme)) {
      throw new TokenError(
        'token_missing',
        'the Authorization header does not use the Bearer scheme',
      );
    }
    throw new TokenError('invalid_request', 'the Authorization header is not well formed');
  }
  let start = space === -1 ? value.length : space;
  while (value.charCodeAt(start) === 0x20) start++; // one or more spaces (RFC 6750 §2.1)
  const credentials = value.slice(start);
  // RFC 9449 §7.1: the DPoP scheme's token68 is the same syntax as a b64token.
  const token = checkToken(credentials, maxLength, 'the Authorization header');
  return { token, method: 'header', scheme: isDpop ? 'DPoP' : 'Bearer' };
}

/**
 * Finds the bearer access token of a request (RFC 6750 §2): the `Authorization: Bearer`
 * header (§2.1; scheme case-insensitive, then one or more spaces, then a `b64token`), a
 * form-encoded body parameter (§2.2) or a query parameter (§2.3), as allowed by
 * `methods`.
 *
 * Returns `undefined` when the request carries no credentials at all (answer with a bare
 * challenge). Throws `TokenError` with one of these codes (`CODE_TABLE` gives each one's
 * answer: 400 `invalid_request` for the request's shape, 401 `invalid_token` for the token):
 *
 * - `multiple_authorization_headers`: more than one Authorization header.
 * - `multiple_token_methods`: a token in more than one of header, body and query (§2),
 *   or more than one `access_token` query parameter.
 * - `token_method_not_allowed`: a token in the body or query while that method is not
 *   enabled (MCP forbids query tokens).
 * - `token_missing`: the Authorization header uses another scheme (e.g. `Basic`): no
 *   bearer credentials, so answer with the bare challenge (RFC 6750 §3.1).
 * - `invalid_request`: an Authorization header that is not `scheme SP credentials`, or an
 *   `access_token` form parameter that is not one string.
 * - `token_malformed`: an empty token, or characters outside the b64token syntax.
 * - `token_too_large`: longer than `maxLength`, refused before the token is parsed.
 *
 * @example
 * ```ts
 * const found = extractBearerToken(
 *   { method: 'GET', url: '/mcp', headers: { authorization: 'Bearer eyJ...' } },
 *   { methods: ['header'], maxLength: 8192 },
 * );
 * if (!found) { // no credentials: 401 with a plain challenge
 * }
 * ```
 * @see RFC 6750 §2 (methods and b64token syntax), §2.3 (query tokens discouraged)
 */
export function extractBearerToken(
  req: RequestLike,
  opts: ExtractOptions,
): ExtractedToken | undefined {
  const header = authorizationHeader(req.headers);
  const body = bodyToken(req);
  const query = queryTokens(req.url);

  const inHeader = header !== undefined;
  const inBody = body !== undefined;
  const inQuery = query.length > 0;
  if (!inHeader && !inBody && !inQuery) return undefined;
  if (+inHeader + +inBody + +inQuery > 1) {
    const present = [inHeader && 'header', inBody && 'body', inQuery && 'query'].filter(Boolean);
    throw new TokenError(
      'multiple_token_methods',
      `a token was sent in more than one place: ${present.join(', ')}`,
    );
  }
  const method: BearerMethod = inHeader ? 'header' : inBody ? 'body' : 'query';
  if (!opts.methods.includes(method)) {
    throw new TokenError(
      'token_method_not_allowed',
      `tokens are not accepted in the request ${method}`,
    );
  }
  switch (method) {
    case 'header':
      return parseAuthorization(header as string, opts.maxLength, opts.dpop ?? false);
    case 'body':
      return {
        token: checkToken(body as string, opts.maxLength, 'the request body'),
        method,
        scheme: 'Bearer',
      };
    case 'query': {
      if (query.length > 1) {
        throw new TokenError(
          'multiple_token_methods',
          'more than one access_token query parameter',
        );
      }
      return {
        token: checkToken(query[0] as string, opts.maxLength, 'the query'),
        method,
        scheme: 'Bearer',
      };
    }
  }
}
