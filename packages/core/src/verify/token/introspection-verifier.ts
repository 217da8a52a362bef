import { SignJWT, importJWK } from 'jose';
import { CACHE_DEADLINE, type DeadlineAwareVerifier } from '../cache/cache-deadline.js';
import { PrmkitConfigError, TokenError, UpstreamError } from '../../model/errors.js';
import { withinStoreBudget } from '../../state/budget.js';
import { createMemoryStore } from '../../state/memory-store.js';
import { tokenStoreKey } from '../../state/token-key.js';
import { type KeyValueStore, STORE_LIMITS } from '../../state/types.js';
import type { AuthInfo, TokenVerifier, VerifyContext } from '../../model/types.js';
import { isSecureUrl, tryParseUrl } from '../../util/url.js';
import { validateAccessTokenClaims } from './claims.js';
import { type ConfirmationMethod, refuseUncheckedBinding } from '../confirmation.js';
import { HttpFailure, fetchJson, isJsonObject } from './http.js';
import type { ProfileClaimRules } from './claim-profile.js';

/** Options of {@link createIntrospectionVerifier}. */
export interface IntrospectionVerifierOptions extends ProfileClaimRules {
  /** RFC 7662 endpoint (https; loopback http with `allowHttp`). */
  readonly endpoint: string;
  readonly clientAuth: IntrospectionClientAuth;
  /** Seconds a positive answer is reused (never past the token's `exp`). Default 60; 0 disables. */
  readonly cacheMaxAge?: number;
  /** Most cached answers kept by the default in-memory store. Default 1000. */
  readonly cacheMaxEntries?: number;
  /**
   * Where answers are cached: one store shared by every instance (for example
   * `@prmkit/redis`) makes one instance's answer serve all of them, and a revoked token
   * is then refused everywhere within `cacheMaxAge`. Default: an in-memory store of
   * `cacheMaxEntries` answers. A store that fails or answers later than `timeout` fails
   * the request closed (`UpstreamError('store_unavailable')`).
   */
  readonly store?: KeyValueStore;
  /** The resource identifier; `aud` of the response must contain it exactly. */
  readonly resource: string;
  /** Accepted issuers; a response `iss`, when present, must be one of them. */
  readonly issuers: readonly string[];
  /** Require `iss` in the response. Default false (RFC 7662 makes it optional). */
  readonly requireIssuer?: boolean;
  readonly clockTolerance: number;
  readonly scopeClaims?: readonly ('scope' | 'scp')[];
  /** Time budget of one introspection request, ms. */
  readonly timeout: number;
  readonly fetch: typeof fetch;
  readonly allowHttp?: 'loopback';
  /** Current time in seconds (tests). */
  readonly now?: () => number;
  /**
   * The `cnf` bindings `authorize` checks against the request (`jkt` with DPoP on,
   * `x5t#S256` with mTLS on); a token bound any other way is refused as a bearer token
   * (RFC 9449 §7.2, RFC 8705 §3). Default none.
   */
  readonly checkedBindings?: readonly ConfirmationMethod[];
}

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** RFC 6749 §2.3.1 / Appendix B: id and secret are form-encoded before Basic encoding. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function base64Ascii(value: string): string {
  // Form-encoded text is ASCII, so btoa is safe here.
  return btoa(value);
}

async function clientAssertion(
  auth: Extract<IntrospectionClientAuth, { method: 'private_key_jwt' }>,
  endpoint: string,
): Promise<string> {
  let key: CryptoKey | Uint8Array;
  let alg = auth.algorithm;
  if (typeof CryptoKey !== 'undefined' && auth.privateKey instanceof CryptoKey) {
    key = auth.privateKey;
  } else {
    const jwk = auth.privateKey as JsonWebKey & { alg?: string };
    alg ??= jwk.alg;
    key = (await importJWK(jwk, alg ?? 'RS256')) as CryptoKey | Uint8Array;
  }
  alg ??= 'RS256';
  return new SignJWT({})
    .setProtectedHeader({ alg })
    .setIssuer(auth.clientId)
    .setSubject(auth.clientId)
    .setAudience(endpoint)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key);
}

/** Namespace of the cached answers in the store: `introspection:<SHA-256 of the token>`. */
const STORE_NAMESPACE = 'introspection';

/** What the store holds per token: the answer and until when it may be used (ms). */
interface CachedAnswer {
  readonly claims: Record<string, unknown>;
  readonly until: number;
}

function parseCachedAnswer(text: string | undefined): CachedAnswer | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isJsonObject(parsed)) return undefined;
    const { claims, until } = parsed;
    if (!isJsonObject(claims) || typeof until !== 'number' || !Number.isFinite(until)) {
      return undefined;
    }
    return { claims, until };
  } catch {
    return undefined; // not ours, or damaged: ask the endpoint again
  }
}

/**
 * Verifies opaque (or any) access tokens through an RFC 7662 introspection endpoint:
 * `POST token=…&token_type_hint=access_token` with the configured client authentication
 * (`client_secret_basic`, `client_secret_post`, `private_key_jwt`, or a bearer token).
 * Only `"active": true` (the JSON boolean) counts, else `TokenError('token_inactive')`;
 * the response then passes the same audience, issuer, expiry and scope rules as a JWT
 * ({@link validateAccessTokenClaims}), and a sender-constrained one (`cnf`) is refused
 * (`claim_invalid`: no DPoP or mTLS proof is checked here). Endpoint errors, timeouts and
 * non-JSON answers are
 * `UpstreamError('introspection_failed')`.
 *
 * Positive answers are cached in `store` under the token's SHA-256 (never the token), for
 * at most `cacheMaxAge` seconds and never past `exp`; negative answers are not cached.
 * A cached answer passes every check again on each use.
 *
 * @example
 * ```ts
 * const verifier = createIntrospectionVerifier({
 *   endpoint: 'https://as.example.com/introspect',
 *   clientAuth: { method: 'client_secret_basic', clientId: 'rs', clientSecret: 's3cret' },
 *   resource: 'https://api.example.com/mcp',
 *   issuers: ['https://as.example.com'],
 *   clockTolerance: 30,
 *   timeout: 5000,
 *   fetch,
 * });
 * ```
 * @see RFC 7662 §2.1 (request), §2.2 (response), §4 (caching); RFC 6749 §2.3.1; RFC 7523 §2.2
 */
export function createIntrospectionVerifier(opts: IntrospectionVerifierOptions): TokenVerifier {
  const endpointUrl = tryParseUrl(opts.endpoint);
  if (!endpointUrl || !isSecureUrl(endpointUrl, opts.allowHttp)) {
    throw new PrmkitConfigError([
      {
        path: 'introspection.endpoint',
        message: 'must be an https URL (http only on loopback with allowHttp)',
      },
    ]);
  }
  const endpoint = opts.endpoint;
  const cacheMaxAge = opts.cacheMaxAge ?? 60;
  const timeout = opts.timeout;
  const nowMs = (): number => (opts.now ? opts.now() * 1000 : Date.now());
  const store =
    opts.store ?? createMemoryStore({ maxEntries: opts.cacheMaxEntries ?? 1000, now: nowMs });
  // Until when each returned AuthInfo may be reused, for the verified-token cache in front.
  const deadlines = new WeakMap<AuthInfo, number>();
  const rules = {
    resource: opts.resource,
    issuers: opts.issuers,
    clockTolerance: opts.clockTolerance,
    scopeClaims: opts.scopeClaims ?? ['scope'],
    requireIssuer: opts.requireIssuer ?? false,
    // RFC 7662 §2.2: sub, client_id and iat are OPTIONAL members of an answer.
    requiredClaims: [],
    now: opts.now,
    audienceAliases: opts.audienceAliases,
    profile: opts.profile,
    actor: opts.actor,
  };

  const introspect = async (
    token: string,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> => {
    const body = new URLSearchParams({ token, token_type_hint: 'access_token' });
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    const auth = opts.clientAuth;
    switch (auth.method) {
      case 'client_secret_basic':
        headers.authorization = `Basic ${base64Ascii(`${formEncode(auth.clientId)}:${formEncode(auth.clientSecret)}`)}`;
        break;
      case 'client_secret_post':
        body.set('client_id', auth.clientId);
        body.set('client_secret', auth.clientSecret);
        break;
      case 'private_key_jwt':
        body.set('client_id', auth.clientId);
        body.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
        try {
          body.set('client_assertion', await clientAssertion(auth, endpoint));
        } catch (cause) {
          throw new UpstreamError(
            'introspection_failed',
            'the client assertion could not be signed',
            { cause },
          );
        }
        break;
      case 'bearer':
        headers.authorization = `Bearer ${auth.token}`;
        break;
    }
    let result: { status: number; body: unknown };
    try {
      result = await fetchJson(
        opts.fetch,
        endpoint,
        { method: 'POST', headers, body: body.toString(), signal },
        opts.timeout,
      );
    } catch (cause) {
      const reason = cause instanceof HttpFailure ? cause.message : 'request failed';
      throw new UpstreamError('introspection_failed', `token introspection failed: ${reason}`, {
        cause,
      });
    }
    if (result.status !== 200) {
      throw new UpstreamError(
        'introspection_failed',
        `token introspection failed: HTTP ${result.status}`,
      );
    }
    if (!isJsonObject(result.body)) {
      throw new UpstreamError(
        'introspection_failed',
        'token introspection failed: the response is not a JSON object',
      );
    }
    return result.body;
  };

  /** The answer's cache deadline (ms), or undefined when it must not be cached. */
  const cacheUntil = (claims: Record<string, unknown>): number | undefined => {
    const exp = claims.exp;
    if (cacheMaxAge <= 0 || typeof exp !== 'number') return undefined;
    const until = Math.min(nowMs() + cacheMaxAge * 1000, exp * 1000);
    return until > nowMs() ? until : undefined;
  };

  /** Every rule an answer must pass, fresh or cached. */
  const accept = (claims: Record<string, unknown>, token: string, until: number): AuthInfo => {
    const auth = validateAccessTokenClaims(claims, token, rules);
    refuseUncheckedBinding(claims, opts.checkedBindings);
    refuseNonAccessToken(claims);
    deadlines.set(auth, until);
    return auth;
  };

  const verifier: DeadlineAwareVerifier = {
    // A result is reused in process no longer than its answer is in the (shared) store.
    [CACHE_DEADLINE]: (auth) => deadlines.get(auth),
    async verify(token: string, context?: VerifyContext): Promise<AuthInfo> {
      if (typeof token !== 'string' || token.length === 0) {
        throw new TokenError('token_malformed', 'empty access token');
      }
      const key = cacheMaxAge > 0 ? await tokenStoreKey(STORE_NAMESPACE, token) : undefined;
      if (key !== undefined) {
        const cached = parseCachedAnswer(await withinStoreBudget(() => store.get(key), timeout));
        if (cached !== undefined && nowMs() < cached.until) {
          return accept(cached.claims, token, cached.until);
        }
      }
      const response = await introspect(token, context?.signal);
      // RFC 7662 §2.2: only the boolean true means active; "true" or 1 do not.
      if (response.active !== true)
        throw new TokenError('token_inactive', 'the token is not active');
      const until = cacheUntil(response);
      const auth = accept(response, token, until ?? 0);
      if (key !== undefined && until !== undefined) {
        const text = JSON.stringify({ claims: response, until });
        if (text.length <= STORE_LIMITS.maxValueLength) {
          const ttl = Math.max(1, Math.ceil(until - nowMs()));
          await withinStoreBudget(() => store.set(key, text, ttl), timeout);
        }
      }
      return auth;
    },
  };
  return verifier;
}

/**
 * Introspection answers for any token the server knows, refresh tokens included, and some
 * servers put an audience on those too. Refuse what the server itself marks as something
 * other than an access token: `token_use` (Ory Hydra), `typ` `Refresh`/`Offline` (Keycloak),
 * `token_type` `refresh_token`.
 */
function refuseNonAccessToken(response: Record<string, unknown>): void {
  const use = response.token_use;
  const typ = typeof response.typ === 'string' ? response.typ.toLowerCase() : undefined;
  const type =
    typeof response.token_type === 'string' ? response.token_type.toLowerCase() : undefined;
  if (
    (use !== undefined && use !== 'access_token') ||
    typ === 'refresh' ||
    typ === 'offline' ||
    type === 'refresh_token'
  ) {
    throw new TokenError('claim_invalid', 'the introspected token is not an access token');
  }
}

/** Client authentication at the introspection endpoint (RFC 7662 §2.1). */
export type IntrospectionClientAuth =
  | {
      readonly method: 'client_secret_basic' | 'client_secret_post';
      readonly clientId: string;
      readonly clientSecret: string;
    }
  | {
      readonly method: 'private_key_jwt';
      readonly clientId: string;
      readonly privateKey: CryptoKey | JsonWebKey;
      readonly algorithm?: string;
    }
  | { readonly method: 'bearer'; readonly token: string };
