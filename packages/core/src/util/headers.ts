/** Whether `headers` is a Web `Headers` (rather than a plain Node-style object). */
export function isWebHeaders(headers: HeadersLike): headers is Headers {
  return (
    typeof (headers as Headers).get === 'function' && typeof (headers as Headers).has === 'function'
  );
}

/**
 * Every value of header `name` (lower-case) from a `Headers` object or a plain object such
 * as Node's IncomingHttpHeaders. Node's names are lower-case, so the direct lookup is the
 * hot path; other casings are found by a scan.
 */
export function headerValues(headers: HeadersLike, name: string): string[] {
  if (isWebHeaders(headers)) {
    const value = headers.get(name);
    return value === null ? [] : [value];
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const direct = record[name];
  if (direct !== undefined) return typeof direct === 'string' ? [direct] : [...direct];
  const out: string[] = [];
  for (const key in record) {
    const value = record[key];
    if (value === undefined || key.toLowerCase() !== name) continue;
    if (typeof value === 'string') out.push(value);
    else out.push(...value);
  }
  return out;
}

/** The first value of a header, or undefined. */
export function headerValue(headers: HeadersLike, name: string): string | undefined {
  return headerValues(headers, name)[0];
}

/**
 * Path and query of a request URL, whether absolute or path-relative; undefined when
 * unparsable.
 *
 * @example
 * ```ts
 * requestPath('/mcp?x=1'); // { path: '/mcp', search: '?x=1' }
 * ```
 * @see RFC 9110 §7.1 (request target)
 */
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

/**
 * The headers of anything shaped like Node's `IncomingMessage` (`headers` and
 * `rawHeaders`), through {@link nodeRequestHeaders}; `undefined` when `message` is not one
 * (duck-typed, so Web-only hosts can call it).
 *
 * @example
 * ```ts
 * const headers = nodeMessageHeaders(c.env?.incoming) ?? c.req.raw.headers;
 * ```
 * @see RFC 6750 §2 (one method, one token)
 */
export function nodeMessageHeaders(
  message: unknown,
): Readonly<Record<string, string | readonly string[] | undefined>> | undefined {
  const m = message as { headers?: unknown; rawHeaders?: unknown } | null | undefined;
  if (typeof m?.headers !== 'object' || m.headers === null || !Array.isArray(m.rawHeaders))
    return undefined;
  return nodeRequestHeaders(m.headers as Record<string, string>, m.rawHeaders as string[]);
}

/**
 * Request headers as adapters have them: a Web `Headers` object, or Node's
 * `IncomingHttpHeaders` (lower-case names; arrays for repeated headers).
 */
export type HeadersLike =
  Headers | Readonly<Record<string, string | readonly string[] | undefined>>;
