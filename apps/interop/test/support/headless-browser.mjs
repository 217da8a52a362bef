#!/usr/bin/env node
// Stands in for the browser a CLI opens (mcp-remote → `open` → xdg-open → $BROWSER <url>):
// follows the authorization server's redirects with a cookie jar (it approves on its own in
// tests), then delivers the authorization response to the first URL off the AS origin (the
// CLI's loopback callback), as a browser would. Appends one JSON line per login to
// $INTEROP_BROWSER_LOG. Bounded: at most 12 hops, 10 s per request.
/* global AbortSignal */
import { appendFileSync } from 'node:fs';

const start = new URL(process.argv[2] ?? '');
const logFile = process.env.INTEROP_BROWSER_LOG;
const record = (entry) => {
  if (logFile)
    appendFileSync(logFile, `${JSON.stringify({ authorizationUrl: start.href, ...entry })}\n`);
};

/**
 * Opens the callback URL. A person is slower than this script: a CLI may start its callback
 * server only after the browser opened, so a refused connection is retried (as a person
 * would reload the page), every 200 ms for at most 15 s.
 */
async function deliver(callbackUrl) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(callbackUrl, { signal: AbortSignal.timeout(10_000) });
      await res.body?.cancel();
      return res;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

const cookies = new Map();
let url = start;
try {
  for (let hop = 0; hop < 12; hop += 1) {
    const headers = { accept: 'text/html' };
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      redirect: 'manual',
      headers,
      signal: AbortSignal.timeout(10_000),
    });
    await res.body?.cancel();
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) {
      record({ error: `stopped at ${url.pathname} with ${res.status}` });
      process.exit(1);
    }
    const next = new URL(location, url);
    if (next.origin !== start.origin) {
      const callback = await deliver(next);
      record({ callback: next.href, callbackStatus: callback.status });
      process.exit(callback.ok ? 0 : 1);
    }
    url = next;
  }
  record({ error: 'too many redirects' });
  process.exit(1);
} catch (error) {
  record({ error: String(error) });
  process.exit(1);
}
