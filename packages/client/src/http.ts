import { isJsonMediaType } from '@prmkit/core/http';
import { readBodyCapped } from '@prmkit/core/adapter';
import { ClientError } from './errors.js';
import { requireSafeUrl } from './url-policy.js';
import type { UrlPolicy } from './url-policy.js';

/** The fetch signature prmkit uses and returns (the WHATWG one). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Limits applied to every metadata, registration and token request. */
export interface HttpPolicy extends UrlPolicy {
  /** fetch implementation; default `globalThis.fetch`. */
  readonly fetch?: FetchLike | undefined;
  /** Per request, including reading the body. Default 10 000 ms. */
  readonly timeoutMs?: number | undefined;
  /** Largest accepted response body. Default 256 KiB. */
  readonly maxBodyBytes?: number | undefined;
  /** Same-origin redirects followed per request. Default 3. */
  readonly maxRedirects?: number | undefined;
  /** Sent as `MCP-Protocol-Version` on discovery requests. */
  readonly protocolVersion?: string | undefined;
  /**
   * `fetch` presents a TLS client certificate (see `createMtlsFetch` in
   * `@prmkit/client/node`): token requests go to the authorization server's
   * `mtls_endpoint_aliases.token_endpoint` when it has one (RFC 8705 §5), and
   * `tls_client_auth` / `self_signed_tls_client_auth` become usable. Default false.
   */
  readonly mtls?: boolean | undefined;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** A finished request: status, headers and (for JSON responses) the parsed body. */
export interface JsonResponse {
  readonly url: URL;
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON when the response was JSON; `undefined` otherwise. */
  readonly json: unknown;
}

/**
 * One request with the safety rules of RFC 9728 §7 / MCP: a timeout over the whole
 * exchange, `redirect: 'manual'` with only same-origin redirects followed (bounded), a body
 * size cap, and JSON parsed only when the content type says JSON. Network failures and
 * timeouts throw `ClientError`; HTTP statuses are returned for the caller to judge.
 */
export async function requestJson(
  target: URL,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  policy: HttpPolicy,
): Promise<JsonResponse> {
  const doFetch = policy.fetch ?? globalThis.fetch;
  const timeoutMs = policy.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = policy.maxRedirects ?? 3;
  const signal = AbortSignal.timeout(timeoutMs);
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  let url = target;
  for (let hop = 0; ; hop += 1) {
    let res: Response;
    try {
      res = await doFetch(url, {
        method: init.method ?? 'GET',
        headers,
        body: init.body,
        redirect: 'manual',
        signal,
      });
    } catch (cause) {
      throw fetchError(cause, url, timeoutMs);
    }
    if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
      await res.body?.cancel().catch(() => undefined);
      // Only same-origin redirects are followed, so the target's address is the one of a
      // URL already accepted: the rule for handed-over URLs holds for it too.
      const next = requireSafeUrl(res.headers.get('location'), 'redirect target', {
        ...policy,
        source: 'configured',
        base: url,
      });
      if (next.origin !== url.origin) {
        throw new ClientError(
          'redirect_refused',
          `cross-origin redirect refused: ${url.origin} -> ${next.origin}`,
          {
            status: res.status,
          },
        );
      }
      // A redirected POST would resend credentials or change method: refuse it.
      if ((init.method ?? 'GET') !== 'GET') {
        throw new ClientError('redirect_refused', `redirect of a ${init.method} request refused`, {
          status: res.status,
        });
      }
      if (hop >= maxRedirects) {
        throw new ClientError('redirect_refused', `more than ${maxRedirects} redirects`, {
          status: res.status,
        });
      }
      url = next;
      continue;
    }
    const text = await readCapped(
      res,
      policy.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      url,
      timeoutMs,
    );
    return {
      url,
      status: res.status,
      headers: res.headers,
      json: parseJsonBody(res.headers, text, url),
    };
  }
}

function parseJsonBody(headers: Headers, text: string, url: URL): unknown {
  if (!isJsonMediaType(headers.get('content-type'))) return undefined;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ClientError('json_invalid', `response from ${url.href} is not valid JSON`, { cause });
  }
}

function fetchError(cause: unknown, url: URL, timeoutMs: number): ClientError {
  if (cause instanceof ClientError) return cause;
  const name = (cause as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ClientError('fetch_timeout', `${url.href} did not answer within ${timeoutMs} ms`, {
      cause,
    });
  }
  return new ClientError('fetch_failed', `request to ${url.href} failed`, { cause });
}

/** Reads at most `max` bytes; a longer body is cancelled and refused. */
async function readCapped(
  res: Response,
  max: number,
  url: URL,
  timeoutMs: number,
): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new ClientError('body_too_large', `response from ${url.href} exceeds ${max} bytes`, {
      status: res.status,
    });
  }
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readBodyCapped(res.body, max);
  } catch (cause) {
    throw fetchError(cause, url, timeoutMs);
  }
  if (bytes === undefined) {
    throw new ClientError('body_too_large', `response from ${url.href} exceeds ${max} bytes`, {
      status: res.status,
    });
  }
  return new TextDecoder().decode(bytes);
}

/** A JSON object (not array, not null), or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Seconds of freshness allowed by Cache-Control (`no-store`/`no-cache` → 0), or undefined when absent. */
export function maxAgeSeconds(headers: Headers): number | undefined {
  const cc = headers.get('cache-control');
  if (!cc) return undefined;
  const directives = cc
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return 0;
  for (const d of directives) {
    const m = /^max-age=(\d+)$/.exec(d);
    if (m?.[1]) return Number(m[1]);
  }
  return undefined;
}
