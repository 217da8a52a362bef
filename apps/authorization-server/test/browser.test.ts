import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import {
  startAuthorizationServer,
  type RunningAuthorizationServer,
} from '@prmkit/authorization-server';
import { RESOURCE, endpoint, pkce, register, token, verifyAccessToken } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const required = process.env.PRMKIT_REQUIRE_BROWSER === '1';
const available = existsSync(CHROMIUM);
if (!available && required) {
  throw new Error(
    `PRMKIT_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: install it with "apt-get install chromium"`,
  );
}
if (!available) {
  console.warn(
    `browser test skipped: ${CHROMIUM} not found (apt-get install chromium; CI sets PRMKIT_REQUIRE_BROWSER=1)`,
  );
}

describe.skipIf(!available)('login and consent in headless Chromium', () => {
  let as: RunningAuthorizationServer;
  let browser: Browser;
  let callbackServer: Server;
  let redirectUri: string;

  beforeAll(async () => {
    // A real client callback endpoint, so the browser lands on a page that exists.
    callbackServer = createServer((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>Signed in</title><p>You can close this window.</p>');
    });
    await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
    redirectUri = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
    as = await startAuthorizationServer({ port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: 30_000,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await as?.close();
    await new Promise<void>((resolve) =>
      callbackServer ? callbackServer.close(() => resolve()) : resolve(),
    );
  });

  it('signs in alice, approves, lands on the redirect URI with a code and exchanges it', async () => {
    const { json: client } = await register(as, {
      client_name: 'Browser Test Client',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
    });
    const clientId = String(client.client_id);
    const { verifier, challenge } = pkce();
    const authorizeUrl = new URL(await endpoint(as, 'authorization_endpoint'));
    authorizeUrl.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: 'mcp:tools',
      resource: RESOURCE,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'browser-state',
    }).toString();

    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(authorizeUrl.href);

    expect(await page.locator('h1').textContent()).toBe('Sign in');
    expect(await page.locator('.sub').textContent()).toContain('Browser Test Client');
    await page.fill('#username', 'alice');
    await page.fill('#password', 'alice');
    await page.click('#sign-in');

    await page.waitForSelector('#approve');
    expect(await page.locator('h1').textContent()).toBe('Authorize access');
    const consentText = (await page.locator('main').textContent()) ?? '';
    expect(consentText).toContain('mcp:tools');
    expect(consentText).toContain(RESOURCE);
    await page.click('#approve');

    await page.waitForURL((url) => url.href.startsWith(redirectUri));
    const landed = new URL(page.url());
    await context.close();
    expect(landed.searchParams.get('state')).toBe('browser-state');
    expect(landed.searchParams.get('iss')).toBe(as.issuer);
    const code = landed.searchParams.get('code');
    expect(code).toBeTruthy();

    const { status, json } = await token(as, {
      grant_type: 'authorization_code',
      code: code ?? '',
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: clientId,
      resource: RESOURCE,
    });
    expect(status).toBe(200);
    const { payload } = await verifyAccessToken(as, json.access_token, RESOURCE);
    expect(payload.sub).toBe('alice');
    expect(payload.scope).toBe('mcp:tools');
    expect(payload.client_id).toBe(clientId);
  }, 60_000);
});
