import type { HeadersLike } from './types.js';

/**
 * Every value of header `name` from a `Headers` object or Node's IncomingHttpHeaders.
 * `name` must be lower-case.
 */
export function headerValues(headers: HeadersLike, name: string): string[] {
  if (
    typeof (headers as Headers).get === 'function' &&
    typeof (headers as Headers).has === 'function'
  ) {
    const value = (headers as Headers).get(name);
    return value === null ? [] : [value];
  }
  const value = (headers as Readonly<Record<string, string | readonly string[] | undefined>>)[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** The first value of a header, or undefined. */
export function headerValue(headers: HeadersLike, name: string): string | undefined {
  return headerValues(headers, name)[0];
}

/** Path of a request URL, whether absolute or path-relative; undefined when unparsable. */
export function requestPath(url: string): { path: string; search: string } | undefined {
  if (url.startsWith('/')) {
    const q = url.indexOf('?');
    return q === -1 ? { path: url, search: '' } : { path: url.slice(0, q), search: url.slice(q) };
  }
  try {
    const parsed = new URL(url);
    return { path: parsed.pathname, search: parsed.search };
  } catch {
    return undefined;
  }
}

/**
 * Node's `IncomingHttpHeaders` keep only the first `Authorization` line, which would hide
 * a second token from the RFC 6750 §2 check. This returns `headers` untouched (no copy, no
 * allocation) unless `rawHeaders` (Node's `[name, value, ...]` list) repeats it, in which
 * case every value is kept. Cheaper than `headersDistinct`, which Node rebuilds per access.
 *
 * @example
 * ```ts
 * rs.authorize({ method: req.method, url: req.url, headers: nodeRequestHeaders(req.headers, req.rawHeaders) });
 * ```
 * @see RFC 6750 §2 (one method, one token)
 */
export function nodeRequestHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  rawHeaders: readonly string[],
): Readonly<Record<string, string | readonly string[] | undefined>> {
  let values: string[] | undefined;
  let count = 0;
  for (let i = 0; i < rawHeaders.length - 1; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 13 && name.toLowerCase() === 'authorization') {
      count++;
      (values ??= []).push(rawHeaders[i + 1]!);
    }
  }
  return count > 1 ? { ...headers, authorization: values } : headers;
}
