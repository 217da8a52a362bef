import { GatewayError } from './errors.js';

/** RFC 8414 §3.1: the well-known suffix goes between the host and the issuer's path. */
function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    // OpenID Connect Discovery 1.0 §4: appended to the issuer.
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

/** The bounded JSON GET every discovery uses. */
async function getJson(
  url: string,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<{ status: number; json: unknown }> {
  const response = await fetchImpl(url, {
    headers: { accept: 'application/json' },
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (text.length > 256 * 1024) return { status: 502, json: undefined };
  try {
    return { status: response.status, json: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, json: undefined };
  }
}

/**
 * Finds the token endpoint in the authorization server's RFC 8414 metadata (then OpenID
 * discovery), checks that the document names the same `issuer` (RFC 8414 §3.3) and that the
 * endpoint is https or loopback http. Remembers a success; a failure is retried next time.
 *
 * @see RFC 8414 §3, §3.3
 */
export function tokenEndpointResolver(
  issuer: string,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): () => Promise<string> {
  let known: Promise<string> | undefined;
  const discover = async (): Promise<string> => {
    let lastStatus: number | undefined;
    for (const url of metadataUrls(issuer)) {
      let answer: { status: number; json: unknown };
      try {
        answer = await getJson(url, fetchImpl, timeoutMs);
      } catch (cause) {
        throw new GatewayError(
          'exchange_unavailable',
          'the authorization server metadata cannot be fetched',
          { cause },
        );
      }
      lastStatus = answer.status;
      // Not there (404, an HTML page, a 400 from a server that knows only OpenID discovery): next.
      if (answer.status !== 200 || typeof answer.json !== 'object' || answer.json === null)
        continue;
      const doc = answer.json as Record<string, unknown>;
      if (doc['issuer'] !== issuer)
        throw new GatewayError(
          'exchange_response_invalid',
          `the authorization server metadata names issuer ${JSON.stringify(doc['issuer'])}, not ${issuer} (RFC 8414 section 3.3)`,
        );
      const endpoint = doc['token_endpoint'];
      const parsed = typeof endpoint === 'string' ? URL.parse(endpoint) : null;
      if (parsed === null || !isAcceptableEndpoint(parsed))
        throw new GatewayError(
          'exchange_response_invalid',
          'the authorization server metadata has no usable token_endpoint (https, or http on loopback)',
        );
      return parsed.href;
    }
    throw new GatewayError(
      'exchange_unavailable',
      `the authorization server metadata is not available (HTTP ${String(lastStatus)})`,
      lastStatus === undefined ? {} : { status: lastStatus },
    );
  };
  return () => {
    known ??= discover().catch((error: unknown) => {
      known = undefined;
      throw error;
    });
    return known;
  };
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** https anywhere; http only to a loopback host (development). */
export function isAcceptableEndpoint(url: URL): boolean {
  if (url.username !== '' || url.password !== '' || url.hash !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
}
