import { isSecureUrl } from '@prmkit/core';
import { ClientError } from './errors.js';

/**
 * `'loopback'` allows plain http to 127.0.0.0/8, ::1 and localhost (tests, local
 * development). Anything else requires https.
 */
export type AllowHttp = 'loopback' | undefined;

/**
 * Parses `value` and refuses anything that is not https (or http on loopback when
 * `allowHttp === 'loopback'`): `javascript:`, `file:`, `data:` and friends never pass, nor
 * do URLs carrying credentials. `what` names the value in the error message.
 */
export function requireSafeUrl(
  value: unknown,
  what: string,
  allowHttp: AllowHttp,
  base?: URL,
): URL {
  if (typeof value !== 'string' && !(value instanceof URL)) {
    throw new ClientError('invalid_url', `${what} is not a URL`);
  }
  let url: URL;
  try {
    url = new URL(value, base);
  } catch (cause) {
    throw new ClientError('invalid_url', `${what} is not a valid URL: ${String(value)}`, { cause });
  }
  if (!isSecureUrl(url, allowHttp)) {
    const hint =
      url.protocol === 'http:'
        ? ' (https is required; allowHttp: "loopback" permits http on loopback only)'
        : '';
    throw new ClientError(
      'insecure_url',
      `${what} uses a refused scheme or host: ${url.protocol}//${url.host}${hint}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new ClientError('insecure_url', `${what} must not carry credentials`);
  }
  return url;
}

/** Same resource identifier? Parsed comparison (case of scheme/host, default port), no added `/`. */
export function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/** The URL without its fragment (RFC 8707 §2: a resource indicator has no fragment). */
export function withoutFragment(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}
