import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientError } from '../errors.js';

/** Options of {@link startLoopbackRedirect}. */
export interface LoopbackRedirectOptions {
  /** Port on 127.0.0.1. Default 0 (ephemeral); register a fixed one if your AS needs an exact match. */
  readonly port?: number;
  /** Callback path. Default `/callback`. */
  readonly path?: string;
  /** How long `waitForCallback` waits. Default 300 000 ms. */
  readonly timeoutMs?: number;
  /** HTML shown in the browser after the redirect. */
  readonly successHtml?: string;
}

/** A listening loopback redirect URI. */
export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port><path>`. */
  readonly redirectUri: string;
  /** The next callback URL received (with `code`, `state`, `iss` or `error`). */
  waitForCallback(): Promise<URL>;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 for the authorization response of a native app (never on other
 * interfaces). Only GET on the callback path is answered; each callback URL is handed to
 * the next `waitForCallback()` (queued if nobody waits yet).
 *
 * @example
 * ```ts
 * import { startLoopbackRedirect } from '@prmkit/client/node';
 * const redirect = await startLoopbackRedirect();
 * // pass redirect.redirectUri to createAuthFetch; later:
 * const callback = await redirect.waitForCallback();
 * await redirect.close();
 * ```
 * @see RFC 8252 §7.3 (loopback interface redirection), OAuth 2.1 §8.4.2
 */
export async function startLoopbackRedirect(
  options: LoopbackRedirectOptions = {},
): Promise<LoopbackRedirect> {
  const path = options.path ?? '/callback';
  const received: URL[] = [];
  const waiters: ((url: URL) => void)[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (req.method !== 'GET' || url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      options.successHtml ??
        '<!doctype html><title>Signed in</title><p>You can close this window.</p>',
    );
    const waiter = waiters.shift();
    if (waiter) waiter(url);
    else if (received.length < 10) received.push(url);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;
  return {
    redirectUri: `${origin}${path}`,
    waitForCallback() {
      const ready = received.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(done);
          if (i >= 0) waiters.splice(i, 1);
          reject(
            new ClientError('interaction_required', 'no authorization response arrived in time'),
          );
        }, options.timeoutMs ?? 300_000);
        const done = (url: URL): void => {
          clearTimeout(timer);
          resolve(url);
        };
        waiters.push(done);
      });
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/**
 * A loopback redirect plus the `openAuthorizationUrl` that goes with it: `open(url)` shows
 * the URL to the user (your code decides how: print it, or call a browser launcher with an
 * argument array, never a shell string), then the callback is awaited.
 *
 * @example
 * ```ts
 * import { createAuthFetch } from '@prmkit/client';
 * import { loopbackAuthorization } from '@prmkit/client/node';
 * const login = await loopbackAuthorization({ open: (url) => console.log(`Sign in: ${url}`) });
 * const authFetch = createAuthFetch({ redirectUri: login.redirectUri, openAuthorizationUrl: login.openAuthorizationUrl });
 * ```
 * @see RFC 8252 §7.3
 */
export async function loopbackAuthorization(
  options: LoopbackRedirectOptions & { readonly open: (url: URL) => void | Promise<void> },
): Promise<{
  redirectUri: string;
  openAuthorizationUrl: (url: URL) => Promise<URL>;
  close: () => Promise<void>;
}> {
  const redirect = await startLoopbackRedirect(options);
  return {
    redirectUri: redirect.redirectUri,
    async openAuthorizationUrl(url: URL) {
      const callback = redirect.waitForCallback();
      await options.open(url);
      return callback;
    },
    close: () => redirect.close(),
  };
}
