import { UpstreamError } from '../../model/errors.js';
import { isSecureUrl, tryParseUrl } from '../../util/url.js';
import { fetchJson, isJsonObject } from './http.js';

/** Options of {@link createJwksUriDiscovery}. */
export interface DiscoveryOptions {
  readonly fetch: typeof fetch;
  /** Time budget of one metadata request, ms. */
  readonly timeout: number;
  readonly allowHttp?: 'loopback';
  /** After a failure, the same issuer is not asked again for this long, ms. Default 10 000. */
  readonly failureCooldown?: number;
}

/** Finds (and remembers) the `jwks_uri` of an issuer. */
export type JwksUriDiscovery = (issuer: string) => Promise<string>;

/** RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path. */
export function authorizationServerMetadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

type Outcome = { jwksUri: string } | { next: string } | { fail: string };

function judge(doc: unknown, issuer: string, allowHttp: 'loopback' | undefined): Outcome {
  if (!isJsonObject(doc)) return { next: 'the metadata is not a JSON object' };
  // RFC 8414 §3.3 / OIDC Discovery §4.3: a document about another issuer must not be used.
  if (doc.issuer !== issuer)
    return { fail: 'the metadata "issuer" does not equal the configured issuer' };
  const jwksUri = doc.jwks_uri;
  if (jwksUri === undefined) return { next: 'the metadata has no "jwks_uri"' };
  const parsed = typeof jwksUri === 'string' ? tryParseUrl(jwksUri) : undefined;
  if (typeof jwksUri !== 'string' || !parsed || !isSecureUrl(parsed, allowHttp)) {
    return { fail: 'the metadata "jwks_uri" is not an https URL' };
  }
  return { jwksUri };
}

async function discover(issuer: string, opts: DiscoveryOptions): Promise<string> {
  const issuerUrl = tryParseUrl(issuer);
  if (!issuerUrl || !isSecureUrl(issuerUrl, opts.allowHttp)) {
    throw new UpstreamError('discovery_failed', `issuer ${issuer} is not an https URL`);
  }
  const reasons: string[] = [];
  for (const url of authorizationServerMetadataUrls(issuer)) {
    let result: { status: number; body: unknown };
    try {
      result = await fetchJson(
        opts.fetch,
        url,
        { method: 'GET', headers: { accept: 'application/json' } },
        opts.timeout,
      );
    } catch (cause) {
      reasons.push(`${url}: ${cause instanceof Error ? cause.message : 'request failed'}`);
      continue;
    }
    if (result.status !== 200) {
      reasons.push(`${url}: HTTP ${result.status}`);
      continue;
    }
    const outcome = judge(result.body, issuer, opts.allowHttp);
    if ('jwksUri' in outcome) return outcome.jwksUri;
    if ('fail' in outcome) {
      throw new UpstreamError(
        'discovery_failed',
        `discovery for ${issuer} failed: ${url}: ${outcome.fail}`,
      );
    }
    reasons.push(`${url}: ${outcome.next}`);
  }
  throw new UpstreamError(
    'discovery_failed',
    `discovery for ${issuer} failed: ${reasons.join('; ')}`,
  );
}

/**
 * Discovers an issuer's `jwks_uri`: RFC 8414 metadata first, then OpenID Connect
 * discovery. The document's `issuer` must equal the configured issuer exactly, and
 * `jwks_uri` must be https (or loopback http with `allowHttp: 'loopback'`). Successes are
 * remembered for the life of the returned function; failures are not, but the same
 * issuer is not asked again before `failureCooldown` has passed. Concurrent calls share
 * one request.
 *
 * @see RFC 8414 §3 (metadata location) and §3.3 (issuer validation), OpenID Connect Discovery §4
 */
export function createJwksUriDiscovery(opts: DiscoveryOptions): JwksUriDiscovery {
  const found = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();
  const failed = new Map<string, { at: number; error: UpstreamError }>();
  const cooldown = opts.failureCooldown ?? 10_000;

  return async (issuer) => {
    const known = found.get(issuer);
    if (known !== undefined) return known;
    const recent = failed.get(issuer);
    const left = recent ? recent.at + cooldown - Date.now() : 0;
    if (recent && left > 0) {
      // Not asked again before the cooldown ends: the client is told when to retry.
      throw new UpstreamError('discovery_failed', recent.error.message, {
        cause: recent.error,
        retryAfter: Math.ceil(left / 1000),
      });
    }
    let running = pending.get(issuer);
    if (!running) {
      running = discover(issuer, opts)
        .then((uri) => {
          found.set(issuer, uri);
          failed.delete(issuer);
          return uri;
        })
        .catch((error: unknown) => {
          const upstream =
            error instanceof UpstreamError
              ? error
              : new UpstreamError('discovery_failed', `discovery for ${issuer} failed`, {
                  cause: error,
                });
          failed.set(issuer, { at: Date.now(), error: upstream });
          throw upstream;
        })
        .finally(() => pending.delete(issuer));
      pending.set(issuer, running);
    }
    return running;
  };
}
