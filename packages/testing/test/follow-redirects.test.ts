import { followAuthorizationRedirects, listen, rememberCookie } from '../src/index.js';
import { afterEach, describe, expect, it } from 'vitest';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('followAuthorizationRedirects', () => {
  it('keeps cookies across the authorization server hops, like a browser', async () => {
    const server = await listen((req, res) => {
      if (req.url?.startsWith('/authorize')) {
        res
          .writeHead(303, {
            location: '/interaction/1',
            'set-cookie': 'session=abc; Path=/; HttpOnly',
          })
          .end();
      } else if (req.url === '/interaction/1') {
        if (req.headers.cookie !== 'session=abc') return void res.writeHead(400).end('no session');
        res.writeHead(303, { location: 'http://127.0.0.1:9/callback?code=c1&state=s1' }).end();
      } else res.writeHead(404).end();
    });
    closers.push(server.close);
    const open = followAuthorizationRedirects({ redirectUri: 'http://127.0.0.1:9/callback' });
    expect(await open(new URL(`${server.url}/authorize?x=1`))).toBe(
      'http://127.0.0.1:9/callback?code=c1&state=s1',
    );
  });

  it('refuses a redirect to another origin and a page that does not redirect', async () => {
    const server = await listen((req, res) => {
      if (req.url === '/away')
        return void res.writeHead(302, { location: 'http://127.0.0.2:1/evil' }).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end('<form>login</form>');
    });
    closers.push(server.close);
    const open = followAuthorizationRedirects({ redirectUri: 'http://127.0.0.1:9/callback' });
    await expect(open(new URL(`${server.url}/away`))).rejects.toMatchObject({
      code: 'redirect_refused',
    });
    await expect(open(new URL(`${server.url}/login`))).rejects.toMatchObject({
      code: 'authorization_response_invalid',
    });
  });

  it('stops after maxHops', async () => {
    const server = await listen(
      (_req, res) => void res.writeHead(302, { location: '/loop' }).end(),
    );
    closers.push(server.close);
    const open = followAuthorizationRedirects({
      redirectUri: 'http://127.0.0.1:9/callback',
      maxHops: 3,
    });
    await expect(open(new URL(`${server.url}/loop`))).rejects.toMatchObject({
      code: 'redirect_refused',
    });
  });
});

describe('rememberCookie', () => {
  it('keeps name=value, replaces it, and deletes on an empty value or a past expiry', () => {
    const jar = new Map<string, string>();
    rememberCookie(jar, 'session=abc; Path=/; HttpOnly');
    rememberCookie(jar, 'other=1');
    expect([...jar]).toEqual([
      ['session', 'abc'],
      ['other', '1'],
    ]);
    rememberCookie(jar, 'session=def');
    expect(jar.get('session')).toBe('def');
    rememberCookie(jar, 'session=x; Max-Age=0');
    rememberCookie(jar, 'other=y; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
    rememberCookie(jar, '=nameless');
    expect(jar.size).toBe(0);
    rememberCookie(jar, 'kept=1; Max-Age=60');
    expect(jar.get('kept')).toBe('1');
  });
});
