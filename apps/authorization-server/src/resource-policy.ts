/** True for `localhost`, `*.localhost`, `127.0.0.0/8` and `[::1]`. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Decides whether the server issues tokens for a resource (RFC 8707 `resource`):
 * an exact match with a configured resource, or, when allowed, any http(s) URL on a
 * loopback host. Fragments and non-http schemes are always refused (RFC 8707 §2).
 *
 * @example
 * ```ts
 * const accepts = resourcePolicy(['https://api.example.com/mcp'], true);
 * accepts('http://localhost:3000/mcp'); // true
 * ```
 * @see RFC 8707 §2
 */
export function resourcePolicy(
  configured: readonly string[],
  allowLoopback: boolean,
): (resource: string) => boolean {
  const exact = new Set(configured);
  return (resource) => {
    if (resource.includes('#')) return false;
    if (exact.has(resource)) return true;
    if (!allowLoopback) return false;
    const url = URL.parse(resource);
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
    if (url.username !== '' || url.password !== '') return false;
    return isLoopbackHostname(url.hostname);
  };
}
