import type { Instruments } from './instruments.js';

/** Which authorization-server endpoint a request is for. */
export type UpstreamKind = 'jwks' | 'discovery' | 'introspection';

/**
 * Attribute naming the endpoint on the upstream metrics: `jwks`, `discovery` or
 * `introspection`.
 *
 * @example
 * ```ts
 * point.attributes[UPSTREAM_KIND]; // 'jwks'
 * ```
 * @see RFC 8414 §3, RFC 7662 §2
 */
export const UPSTREAM_KIND = 'prmkit.upstream.kind';

/**
 * `fetchImpl`, counting each request (`prmkit.upstream.requests`) and each failure
 * (`prmkit.upstream.failures`: no answer, or not 2xx) by endpoint kind. Discovery is a
 * `/.well-known/` URL, introspection is the configured endpoint, anything else is a JWKS.
 */
export function countingFetch(
  fetchImpl: typeof fetch,
  introspectionEndpoint: string | undefined,
  instruments: Instruments,
): typeof fetch {
  const kindOf = (url: string): UpstreamKind =>
    url === introspectionEndpoint
      ? 'introspection'
      : url.includes('/.well-known/')
        ? 'discovery'
        : 'jwks';
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const labels = { [UPSTREAM_KIND]: kindOf(url) };
    instruments.upstreamRequests.add(1, labels);
    try {
      const response = await fetchImpl(input, init);
      if (response.status < 200 || response.status > 299) {
        instruments.upstreamFailures.add(1, {
          ...labels,
          'http.response.status_code': response.status,
        });
      }
      return response;
    } catch (error) {
      instruments.upstreamFailures.add(1, labels);
      throw error;
    }
  };
}
