import { CookieJar } from './cookie-jar.js';
import type { RunningGlewlwyd } from './start-glewlwyd.js';

/** The headless login stopped somewhere a person would have seen a page. */
export class GlewlwydLoginError extends Error {
  override readonly name = 'GlewlwydLoginError';
}

/**
 * A stand-in for the browser on Glewlwyd's login SPA, doing the REST calls the SPA does:
 * open the authorization URL (Glewlwyd redirects to its login page), sign in
 * (`POST /api/auth/`), grant the requested scopes to the client
 * (`PUT /api/auth/grant/<client_id>/`, space-separated), then reopen the authorization
 * URL with the SPA's `g_continue` flag, and return the redirect to the client (never
 * fetched). Use it as an `openAuthorizationUrl` or an SDK provider's login step.
 *
 * @example
 * ```ts
 * const login = glewlwydLogin(glewlwyd);
 * const callback = await login(authorizationUrl); // 'http://127.0.0.1:8976/callback?code=…&state=…&iss=…'
 * ```
 * @see OAuth 2.1 §4.1.2 (authorization response)
 */
export function glewlwydLogin(
  glewlwyd: Pick<RunningGlewlwyd, 'url' | 'user'>,
  options: {
    readonly user?: { readonly username: string; readonly password: string };
    /** Default `globalThis.fetch`. */
    readonly fetch?: typeof fetch;
  } = {},
): (authorizationUrl: URL) => Promise<string> {
  const user = options.user ?? glewlwyd.user;
  const fetchFn = options.fetch ?? globalThis.fetch;
  return async (authorizationUrl) => {
    const jar = new CookieJar();
    const api = `${glewlwyd.url}/api`;
    const step = async (what: string, url: string, init: RequestInit): Promise<Response> => {
      const response = await fetchFn(url, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as Record<string, string>), ...jar.header() },
        signal: AbortSignal.timeout(10_000),
      });
      jar.store(response);
      if (response.status >= 400) {
        throw new GlewlwydLoginError(
          `${what} answered ${response.status}: ${await response.text()}`,
        );
      }
      return response;
    };
    const json = { 'content-type': 'application/json' };
    // As a browser: the first visit has no session and lands on the login page.
    const first = await step('authorization', authorizationUrl.href, { method: 'GET' });
    await first.body?.cancel();
    const loginPage = first.headers.get('location');
    if (first.status !== 302 || loginPage === null || !loginPage.includes('login.html')) {
      // An error redirect to the client (invalid_scope, invalid_target, ...) ends here.
      if (loginPage !== null && new URL(loginPage, authorizationUrl).origin !== glewlwyd.url)
        return new URL(loginPage, authorizationUrl).href;
      throw new GlewlwydLoginError(
        `authorization answered ${first.status} ${loginPage ?? ''}, not the login page`,
      );
    }
    await step('sign-in', `${api}/auth/`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(user),
    });
    const clientId = authorizationUrl.searchParams.get('client_id') ?? '';
    const requested = (authorizationUrl.searchParams.get('scope') ?? '')
      .split(' ')
      .filter((scope) => scope !== '' && scope !== 'openid');
    if (requested.length > 0) {
      await step('consent', `${api}/auth/grant/${encodeURIComponent(clientId)}/`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ scope: requested.join(' ') }),
      });
    }
    const resumed = new URL(authorizationUrl);
    resumed.searchParams.append('g_continue', '');
    const response = await step('authorization', resumed.href, { method: 'GET' });
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) {
      throw new GlewlwydLoginError(`authorization answered ${response.status} without a redirect`);
    }
    const next = new URL(location, resumed);
    if (next.origin === glewlwyd.url) {
      throw new GlewlwydLoginError(`authorization sent the browser to ${next.pathname} again`);
    }
    return next.href;
  };
}
