/**
 * Why the browser stand-in stopped. The strings are the `@prmkit/client` codes for the same
 * faults, so tests that assert a `ClientError` code read the same either way.
 */
export type BrowserStandInErrorCode =
  'fetch_failed' | 'authorization_response_invalid' | 'redirect_refused';

/** Thrown by {@link followAuthorizationRedirects}; `code` says why. */
export class BrowserStandInError extends Error {
  readonly code: BrowserStandInErrorCode;
  /** HTTP status of the page that stopped it, if any. */
  readonly status: number | undefined;
  constructor(
    code: BrowserStandInErrorCode,
    message: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BrowserStandInError';
    this.code = code;
    this.status = options.status;
  }
}

/** The fetch signature (WHATWG). */
type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * An `openAuthorizationUrl` for authorization servers that approve without a user (tests,
 * the demo, the MCP conformance suite): a stand-in for the browser, not production code.
 * Requests the authorization URL with `redirect: 'manual'`, follows redirects on the
 * authorization server's origin (at most `maxHops`, default 10) with a cookie jar (login and
 * consent steps keep state in cookies, as in a browser), and returns the first `Location`
 * that points at `redirectUri`. Nothing listens on the redirect URI, and it is never fetched.
 *
 * @example
 * ```ts
 * import { createAuthFetch } from '@prmkit/client';
 * import { followAuthorizationRedirects } from '@prmkit/testing';
 * const redirectUri = 'http://127.0.0.1:3000/callback';
 * createAuthFetch({ redirectUri, openAuthorizationUrl: followAuthorizationRedirects({ redirectUri }), allowHttp: 'loopback' });
 * ```
 * @see OAuth 2.1 §4.1.2 (authorization response), RFC 6265 §5.4 (Cookie header)
 */
export function followAuthorizationRedirects(options: {
  readonly redirectUri: string;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  readonly maxHops?: number;
}): (url: URL) => Promise<string> {
  const redirect = new URL(options.redirectUri);
  const maxHops = options.maxHops ?? 10;
  return async (start: URL) => {
    const cookies = new Map<string, string>();
    let url = start;
    for (let hop = 0; hop < maxHops; hop += 1) {
      const headers: Record<string, string> = { accept: 'text/html' };
      if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      let res: Response;
      try {
        res = await (options.fetch ?? globalThis.fetch)(url, {
          redirect: 'manual',
          headers,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (cause) {
        throw new BrowserStandInError(
          'fetch_failed',
          `authorization request to ${url.origin} failed`,
          { cause },
        );
      }
      await res.body?.cancel().catch(() => undefined);
      for (const line of res.headers.getSetCookie()) rememberCookie(cookies, line);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) {
        throw new BrowserStandInError(
          'authorization_response_invalid',
          `authorization endpoint answered ${res.status} at ${url.pathname} without a redirect (a person would sign in here: is the server set to approve on its own?)`,
          { status: res.status },
        );
      }
      const next = new URL(location, url);
      if (next.origin === redirect.origin && next.pathname === redirect.pathname) return next.href;
      if (next.origin !== start.origin)
        throw new BrowserStandInError(
          'redirect_refused',
          `cross-origin redirect to ${next.origin} refused`,
        );
      url = next;
    }
    throw new BrowserStandInError(
      'redirect_refused',
      `no redirect back to ${redirect.href} after ${maxHops} hops`,
    );
  };
}

/**
 * Keeps `name=value` of a Set-Cookie line in `cookies`; an empty value or a past expiry
 * deletes it. A cookie jar just good enough for login and consent pages.
 *
 * @example
 * ```ts
 * const jar = new Map<string, string>();
 * rememberCookie(jar, 'session=abc; Path=/; HttpOnly'); // jar: session → abc
 * rememberCookie(jar, 'session=; Max-Age=0');            // jar: empty
 * ```
 * @see RFC 6265 §5.2 (the Set-Cookie header), §5.3 (expiry)
 */
export function rememberCookie(cookies: Map<string, string>, line: string): void {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  const expired = attributes.some((attribute) => {
    const [k = '', v = ''] = attribute.split('=');
    const key = k.trim().toLowerCase();
    if (key === 'max-age') return Number(v) <= 0;
    if (key === 'expires') return Date.parse(v) <= Date.now();
    return false;
  });
  if (value === '' || expired) cookies.delete(name);
  else cookies.set(name, value);
}
