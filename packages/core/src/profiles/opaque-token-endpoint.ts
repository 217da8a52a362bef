import { TokenError, UpstreamError } from '../model/errors.js';
import { fetchText, HttpFailure, isJsonObject } from '../verify/token/http.js';
import type { ProfileIssues } from './profile-fragment.js';

/** Where an opaque-token profile asks about a token, and how. */
export interface OpaqueTokenEndpointOptions {
  /** Override of the IdP's endpoint (a local stand-in in tests). https, or loopback http with `allowHttp`. */
  readonly endpoint?: string;
  /** Allow an `http:` loopback `endpoint` (tests, local stand-ins). */
  readonly allowHttp?: 'loopback';
  /** `fetch` used. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** Time budget of one lookup, ms. Default 5000. */
  readonly timeout?: number;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Checks the endpoint options; returns the endpoint to use. */
export function endpointOption(
  issues: ProfileIssues,
  options: OpaqueTokenEndpointOptions,
  fallback: string,
): string {
  const endpoint = options.endpoint ?? fallback;
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  const secure =
    url !== undefined &&
    (url.protocol === 'https:' ||
      (url.protocol === 'http:' && options.allowHttp === 'loopback' && LOOPBACK.has(url.hostname)));
  if (!secure || url?.hash)
    issues.add('endpoint', 'must be an https URL (loopback http only with allowHttp)');
  if (
    options.timeout !== undefined &&
    !(Number.isInteger(options.timeout) && options.timeout > 0 && options.timeout <= 60000)
  )
    issues.add('timeout', 'must be a whole number of ms between 1 and 60000');
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    issues.add('fetch', 'must be a function');
  return endpoint;
}

/**
 * One lookup: 200 with a JSON object → the object and headers; 400/401 → the IdP does not
 * accept the token (`token_inactive`); anything else, or no answer → `verifier_failed`
 * (fail closed).
 */
export async function lookUpToken(
  what: string,
  options: OpaqueTokenEndpointOptions,
  url: string,
  init: RequestInit,
): Promise<{ body: Record<string, unknown>; headers: Headers }> {
  const fetchImpl = options.fetch ?? ((input, i) => globalThis.fetch(input, i));
  let response: Awaited<ReturnType<typeof fetchText>>;
  try {
    response = await fetchText(fetchImpl, url, init, options.timeout ?? 5000);
  } catch (cause) {
    throw new UpstreamError('verifier_failed', `the ${what} did not answer`, {
      cause: cause instanceof HttpFailure ? cause : new HttpFailure(String(cause)),
    });
  }
  if (response.status === 400 || response.status === 401) {
    throw new TokenError(
      'token_inactive',
      `the ${what} does not accept the token (unknown, expired or revoked)`,
    );
  }
  if (response.status !== 200) {
    throw new UpstreamError('verifier_failed', `the ${what} answered HTTP ${response.status}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    body = undefined;
  }
  if (!isJsonObject(body))
    throw new UpstreamError('verifier_failed', `the ${what} did not answer a JSON object`);
  return { body, headers: response.headers };
}
