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
