/**
 * Whether `hostname` names the local machine: `localhost`, any `*.localhost`, `::1`
 * (with or without brackets) or an IPv4 address in 127.0.0.0/8. Case-insensitive; no DNS
 * lookup is made.
 *
 * @example
 * ```ts
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('[::1]'); // true
 * isLoopbackHost('api.example.com'); // false
 * ```
 * @see RFC 8252 §7.3 (loopback interface redirection), RFC 6761 §6.3 (localhost)
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(?:\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * Whether `url` may be used to fetch or advertise security-relevant documents: https, or
 * http on a loopback host when `allowHttp === 'loopback'`. Anything else (`javascript:`,
 * `file:`, plain http to a remote host) is refused.
 *
 * @example
 * ```ts
 * isSecureUrl(new URL('https://auth.example.com')); // true
 * isSecureUrl(new URL('http://127.0.0.1:8080/jwks'), 'loopback'); // true
 * isSecureUrl(new URL('http://auth.example.com'), 'loopback'); // false
 * ```
 * @see RFC 9728 §7.1 (TLS requirements), RFC 8414 §6.1
 */
export function isSecureUrl(url: URL, allowHttp?: 'loopback'): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && allowHttp === 'loopback' && isLoopbackHost(url.hostname);
}

/** `new URL()` that returns `undefined` instead of throwing. */
export function tryParseUrl(value: string, base?: string | URL): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}
