import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAuthorizationServer,
  type RunningAuthorizationServer,
} from '@prmkit/authorization-server';
import {
  CookieJar,
  REDIRECT_URI,
  RESOURCE,
  endpoint,
  pkce,
  register,
  type RegisteredClient,
} from './support.js';

/** One user agent: a cookie jar and manual redirects, like a browser without JavaScript. */
class Agent {
  readonly jar = new CookieJar();
  constructor(readonly base: string) {}
  async get(url: string): Promise<Response> {
    const response = await fetch(new URL(url, this.base), {
      redirect: 'manual',
      headers: { cookie: this.jar.header() },
    });
    this.jar.store(response);
    return response;
  }
  async post(url: string, form: Record<string, string>): Promise<Response> {
    const response = await fetch(new URL(url, this.base), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    this.jar.store(response);
    return response;
  }
  /** Follows redirects while they stay on the server; returns the last response or the external URL. */
  async follow(response: Response): Promise<Response | URL> {
    let current = response;
    for (let hop = 0; hop < 8; hop += 1) {
      const location = current.headers.get('location');
      if (current.status < 300 || current.status >= 400 || location === null) return current;
      const next = new URL(location, this.base);
      if (next.origin !== new URL(this.base).origin) return next;
      current = await this.get(next.href);
    }
    throw new Error('too many redirects');
  }
}

const formAction = (html: string, suffix: string): string => {
  const match = new RegExp(`action="(/interaction/[^"]+/${suffix})"`).exec(html);
  if (match?.[1] === undefined) throw new Error(`no ${suffix} form in page`);
  return match[1];
};

describe('interactive login and consent pages', () => {
  let as: RunningAuthorizationServer;
  let client: RegisteredClient;
  beforeAll(async () => {
    as = await startAuthorizationServer({ port: 0 });
    const { json } = await register(as, {
      client_name: '<b>Evil</b> & Co',
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
    });
    client = json as RegisteredClient;
  });
  afterAll(() => as.close());

  const start = async (agent: Agent): Promise<Response> => {
    const url = new URL(await endpoint(as, 'authorization_endpoint'));
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      scope: 'mcp:tools mcp:admin',
      resource: RESOURCE,
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
      state: 'abc',
    }).toString();
    const page = await agent.follow(await agent.get(url.href));
    if (page instanceof URL) throw new Error(`unexpected redirect to ${page.href}`);
    return page;
  };

  it('shows an escaped, framing-proof login page, refuses a wrong password, then asks for consent', async () => {
    const agent = new Agent(as.url);
    const login = await start(agent);
    expect(login.status).toBe(200);
    expect(login.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(login.headers.get('cache-control')).toBe('no-store');
    const loginHtml = await login.text();
    expect(loginHtml).toContain('&lt;b&gt;Evil&lt;/b&gt; &amp; Co');
    expect(loginHtml).not.toContain('<b>Evil</b>');
    const loginAction = formAction(loginHtml, 'login');

    const wrong = await agent.post(loginAction, { username: 'alice', password: 'bob' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong username or password.');

    const consent = await agent.follow(
      await agent.post(loginAction, { username: 'alice', password: 'alice' }),
    );
    if (consent instanceof URL) throw new Error('expected the consent page');
    const consentHtml = await consent.text();
    expect(consentHtml).toContain('Authorize access');
    expect(consentHtml).toContain('<code>mcp:tools</code>');
    expect(consentHtml).toContain('<code>mcp:admin</code>');
    expect(consentHtml).toContain(`<code>${RESOURCE}</code>`);

    const callback = await agent.follow(await agent.post(formAction(consentHtml, 'confirm'), {}));
    expect(callback).toBeInstanceOf(URL);
    const url = callback as URL;
    expect(url.origin + url.pathname).toBe(REDIRECT_URI);
    expect(url.searchParams.get('code')).toBeTruthy();
    expect(url.searchParams.get('state')).toBe('abc');
    expect(url.searchParams.get('iss')).toBe(as.issuer);
  });

  it('returns access_denied when the user denies consent', async () => {
    const agent = new Agent(as.url);
    const loginHtml = await (await start(agent)).text();
    const consent = await agent.follow(
      await agent.post(formAction(loginHtml, 'login'), { username: 'bob', password: 'bob' }),
    );
    if (consent instanceof URL) throw new Error('expected the consent page');
    const callback = await agent.follow(
      await agent.post(formAction(await consent.text(), 'abort'), {}),
    );
    expect(callback).toBeInstanceOf(URL);
    expect((callback as URL).searchParams.get('error')).toBe('access_denied');
    expect((callback as URL).searchParams.get('code')).toBeNull();
  });

  it('refuses an interaction page without its cookie', async () => {
    const agent = new Agent(as.url);
    const loginHtml = await (await start(agent)).text();
    const stranger = new Agent(as.url);
    const response = await stranger.post(formAction(loginHtml, 'login'), {
      username: 'alice',
      password: 'alice',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Request expired');
  });
});
