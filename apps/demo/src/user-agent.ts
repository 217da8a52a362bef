import type { Fetch } from './observe.js';

/**
 * Stands in for the user's browser during authorization: requests the authorization URL,
 * follows the authorization server's redirects with a cookie jar (its login and consent
 * steps keep state in cookies, as in a browser) and returns the URL it is finally sent to
 * on `redirectUri`, which is never fetched. Only redirects on the authorization server's
 * origin are followed, at most `maxHops`. Works with servers that approve without a page
 * (the local AS in auto-approve mode); a real app opens a browser instead.
 *
 * @example
 * ```ts
 * createAuthFetch({ redirectUri, openAuthorizationUrl: simulatedBrowser({ redirectUri, fetch }) });
 * ```
 * @see OAuth 2.1 §4.1.2 (authorization response), RFC 6265 §5.4 (Cookie header)
 */
export function simulatedBrowser(options: {
  readonly redirectUri: string;
  readonly fetch: Fetch;
  readonly timeoutMs?: number;
  readonly maxHops?: number;
}): (url: URL) => Promise<string> {
  const target = new URL(options.redirectUri);
  const maxHops = options.maxHops ?? 10;
  return async (start) => {
    const cookies = new Map<string, string>();
    let url = start;
    for (let hop = 0; hop < maxHops; hop += 1) {
      const headers: Record<string, string> = { accept: 'text/html' };
      if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const res = await options.fetch(url, {
        redirect: 'manual',
        headers,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await res.body?.cancel().catch(() => undefined);
      for (const line of res.headers.getSetCookie()) remember(cookies, line);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || location === null) {
        throw new Error(
          `the authorization server answered ${res.status} at ${url.pathname} instead of redirecting: it is not in auto-approve mode (a person would sign in here)`,
        );
      }
      const next = new URL(location, url);
      if (next.origin === target.origin && next.pathname === target.pathname) return next.href;
      if (next.origin !== start.origin)
        throw new Error(`refusing to follow a redirect to another origin (${next.origin})`);
      url = next;
    }
    throw new Error(`no redirect back to ${target.href} after ${maxHops} hops`);
  };
}

/** Keeps `name=value` of a Set-Cookie line; an empty value or past expiry deletes it. */
function remember(cookies: Map<string, string>, line: string): void {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  const expired = attributes.some((a) => {
    const [k = '', v = ''] = a.split('=');
    const key = k.trim().toLowerCase();
    if (key === 'max-age') return Number(v) <= 0;
    if (key === 'expires') return Date.parse(v) <= Date.now();
    return false;
  });
  if (value === '' || expired) cookies.delete(name);
  else cookies.set(name, value);
}
