/**
 * An `openAuthorizationUrl` for the auto-approving local authorization server that
 * behaves like a browser: follows redirects by hand with a cookie jar (oidc-provider
 * keeps the interaction in cookies) and stops at the first redirect to `redirectUri`,
 * which is never fetched. Bounded: at most 10 hops, 5 s each, same origin only.
 */
export function autoApproveUserAgent(redirectUri: string): (url: URL) => Promise<string> {
  const redirect = new URL(redirectUri);
  return async (start) => {
    const jar = new Map<string, string>();
    let url = start;
    for (let hop = 0; hop < 10; hop += 1) {
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await fetch(url, {
        redirect: 'manual',
        headers: cookie === '' ? {} : { cookie },
        signal: AbortSignal.timeout(5_000),
      });
      for (const line of response.headers.getSetCookie()) {
        const pair = line.split(';', 1)[0] ?? '';
        const eq = pair.indexOf('=');
        if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
      const location = response.headers.get('location');
      const body = await response.text();
      if (response.status < 300 || response.status >= 400 || location === null) {
        throw new Error(
          `authorization stopped at ${url.pathname} with ${response.status}: ${body.slice(0, 200)}`,
        );
      }
      const next = new URL(location, url);
      if (next.origin === redirect.origin && next.pathname === redirect.pathname) return next.href;
      if (next.origin !== start.origin) throw new Error(`unexpected redirect to ${next.origin}`);
      url = next;
    }
    throw new Error('too many redirects during authorization');
  };
}
