import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuthFetch } from '@prmkit/client';
import {
  FileCredentialStore,
  loopbackAuthorization,
  startLoopbackRedirect,
} from '@prmkit/client/node';
import { fixtureAs, fixtureRs, onClose } from './helpers.js';

describe('loopback redirect listener', () => {
  it('listens on 127.0.0.1 and returns code, state and iss', async () => {
    const redirect = await startLoopbackRedirect();
    onClose(redirect.close);
    expect(redirect.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const waiting = redirect.waitForCallback();
    const res = await fetch(
      `${redirect.redirectUri}?code=abc&state=xyz&iss=https%3A%2F%2Fas.example`,
    );
    expect(res.status).toBe(200);
    const url = await waiting;
    expect(url.searchParams.get('code')).toBe('abc');
    expect(url.searchParams.get('state')).toBe('xyz');
    expect(url.searchParams.get('iss')).toBe('https://as.example');
    expect((await fetch(`${redirect.redirectUri.replace('/callback', '/other')}`)).status).toBe(
      404,
    );
  });

  it('times out when nothing arrives', async () => {
    const redirect = await startLoopbackRedirect({ timeoutMs: 50 });
    onClose(redirect.close);
    await expect(redirect.waitForCallback()).rejects.toMatchObject({
      code: 'interaction_required',
    });
  });

  it('drives a full authorization: the "browser" follows redirects to the listener', async () => {
    const as = await fixtureAs();
    const rs = await fixtureRs({ as });
    const opened: string[] = [];
    const login = await loopbackAuthorization({
      open: async (url) => {
        opened.push(url.href);
        // A browser: follows the 302 to the loopback redirect URI.
        await fetch(url);
      },
    });
    onClose(login.close);
    const f = createAuthFetch({
      allowHttp: 'loopback',
      redirectUri: login.redirectUri,
      openAuthorizationUrl: login.openAuthorizationUrl,
    });
    expect((await f(rs.url)).status).toBe(200);
    expect(opened).toHaveLength(1);
    expect(new URL(opened[0] ?? '').searchParams.get('redirect_uri')).toBe(login.redirectUri);
  });
});

describe('FileCredentialStore', () => {
  it('writes mode 0600 and persists tokens across clients', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prmkit-store-'));
    const path = join(dir, 'nested', 'credentials.json');
    const as = await fixtureAs();
    const rs = await fixtureRs({ as });
    const login = await loopbackAuthorization({ open: async (url) => void (await fetch(url)) });
    onClose(login.close);
    const options = {
      allowHttp: 'loopback' as const,
      redirectUri: login.redirectUri,
      openAuthorizationUrl: login.openAuthorizationUrl,
    };

    expect(
      (await createAuthFetch({ ...options, store: new FileCredentialStore(path) })(rs.url)).status,
    ).toBe(200);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(await readFile(path, 'utf8')) as Record<
      string,
      { tokens?: { accessToken?: string } }
    >;
    expect(Object.keys(saved)).toEqual([JSON.stringify([rs.url, as.issuer])]);

    // A new process-like client reuses the stored token: no second authorization.
    expect(
      (await createAuthFetch({ ...options, store: new FileCredentialStore(path) })(rs.url)).status,
    ).toBe(200);
    expect(as.requests.filter((r) => r.path === '/authorize')).toHaveLength(1);

    const store = new FileCredentialStore(path);
    await store.delete({ resource: rs.url, issuer: as.issuer });
    expect(await store.get({ resource: rs.url, issuer: as.issuer })).toBeUndefined();
  });
});
