/** Hosts that never leave the machine. */
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
