import { listen } from '@prmkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { followAuthorizationRedirects } from '../src/index.js';

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
