import type { AuthInfo } from '@prmkit/core';
import { createMemoryStore, type KeyValueStore } from '@prmkit/core/store';
import { decodeJwt } from 'jose';
import { authenticateClient, type GatewayClientAuth } from './client-auth.js';
import { GatewayError } from './errors.js';
import { type CachedToken, ExchangeCache } from './exchange-cache.js';
import { ACCESS_TOKEN_TYPE, type ExchangeProfile, exchangeParameters } from './profiles.js';
import { tokenEndpointResolver } from './token-endpoint.js';
import type { DownstreamTarget } from './target.js';

/**
 * Options of {@link createTokenExchanger}.
 *
 * @example
 * ```ts
 * const options: TokenExchangerOptions = {
 *   issuer: 'https://auth.example.com',
 *   client: { method: 'client_secret_basic', clientId: 'gateway', clientSecret: process.env.SECRET! },
 * };
 * ```
 * @see RFC 8693 §2.1
 */
export interface TokenExchangerOptions {
  /** Issuer of the authorization server; its RFC 8414 metadata names the token endpoint. */
  readonly issuer: string;
  /** How the gateway authenticates at the token endpoint. */
  readonly client: GatewayClientAuth;
  /** Wire shape of the request. Default `rfc8693`. */
  readonly profile?: ExchangeProfile;
  /** Token endpoint to use instead of the one in the metadata. */
  readonly tokenEndpoint?: string;
  /**
   * Where exchanged tokens are cached (encrypted, keyed by a hash of the inbound token).
   * Default: in process memory. Pass `createRedisStore()` from `@prmkit/redis` so several
   * gateway instances share them. A store that fails is bypassed: every call exchanges
   * until it is back.
   */
  readonly store?: KeyValueStore;
  /** An exchanged token is used until this many seconds before it expires. Default 30. */
  readonly expiryMarginSeconds?: number;
  /** Time budget of one request to the authorization server, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** The `fetch` used to reach the authorization server. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** Called once per `tokenFor` that succeeded or failed; never receives a token. */
  readonly onExchange?: (event: ExchangeEvent) => void;
}

/** What {@link TokenExchangerOptions.onExchange} is told. No token, ever. */
export interface ExchangeEvent {
  /** Name of the downstream target. */
  readonly target: string;
  /**
   * `exchange`: this call asked the authorization server; `shared`: it waited for a
   * concurrent call's exchange; `cache`: a cached token was reused.
   */
  readonly source: 'exchange' | 'shared' | 'cache';
  /** `aud` of the inbound token. */
  readonly inboundAudience: readonly string[];
  /** `aud` of the exchanged token when it is a JWT (else empty). */
  readonly audience: readonly string[];
  /** `act` claim of the exchanged token when it is a JWT (RFC 8693 §4.1). */
  readonly actor: unknown;
  /** The error code when it failed. */
  readonly error?: GatewayError['code'];
}

/** A token for one downstream, obtained by exchange (or from the cache). */
export interface DownstreamToken {
  readonly accessToken: string;
  /** `Bearer`. */
  readonly tokenType: string;
  /** Epoch milliseconds after which it is not used. */
  readonly expiresAt: number;
  readonly scope: string | undefined;
}

/**
 * Exchanges verified inbound tokens for downstream tokens.
 *
 * @example
 * ```ts
 * const token = await exchanger.tokenFor(auth, { name: 'files', resource: 'https://files.example.com/mcp', scopes: ['files:read'] });
 * ```
 */
export interface TokenExchanger {
  /**
   * A token for `target` on behalf of the caller of `auth`: from the cache when one is still
   * valid, else by one request to the authorization server (concurrent calls for the same
   * slot share it). Throws {@link GatewayError}; never falls back to the inbound token.
   */
  tokenFor(auth: AuthInfo, target: DownstreamTarget): Promise<DownstreamToken>;
}

const DEFAULT_RETRY_AFTER = 5;

function retryAfterSeconds(header: string | null): number {
  if (header === null) return DEFAULT_RETRY_AFTER;
  if (/^\d{1,6}$/.test(header.trim())) return Math.max(1, Number(header.trim()));
  const at = Date.parse(header);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

function jwtFacts(token: string): {
  aud: readonly string[];
  act: unknown;
  exp: number | undefined;
} {
  try {
    const claims = decodeJwt(token);
    const aud =
      claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    return { aud, act: claims['act'], exp: claims.exp };
  } catch {
    return { aud: [], act: undefined, exp: undefined };
  }
}

/** Parses a token endpoint answer into a token, or throws the mapped {@link GatewayError}. */
async function readTokenResponse(
  response: Response,
  profile: ExchangeProfile,
  inboundToken: string,
  now: number,
): Promise<CachedToken> {
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  if (response.status >= 500 || response.status === 429) {
    throw new GatewayError(
      'exchange_unavailable',
      `the authorization server answered HTTP ${response.status} to the exchange`,
      {
        status: response.status,
        retryAfter: retryAfterSeconds(response.headers.get('retry-after')),
      },
    );
  }
  if (response.status !== 200) {
    const oauthError = typeof json?.['error'] === 'string' ? json['error'] : undefined;
    const description =
      typeof json?.['error_description'] === 'string' ? `: ${json['error_description']}` : '';
    throw new GatewayError(
      'exchange_refused',
      `the authorization server refused the exchange (HTTP ${response.status}, ${oauthError ?? 'no error code'})${description}`,
      { status: response.status, ...(oauthError === undefined ? {} : { oauthError }) },
    );
  }
  const accessToken = json?.['access_token'];
  const tokenType = json?.['token_type'];
  if (typeof accessToken !== 'string' || accessToken === '')
    throw new GatewayError('exchange_response_invalid', 'the exchange answer has no access_token');
  if (accessToken === inboundToken)
    throw new GatewayError(
      'exchange_response_invalid',
      'the authorization server handed back the inbound token; it is never sent downstream',
    );
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')
    throw new GatewayError(
      'exchange_response_invalid',
      `the exchange answer has token_type ${JSON.stringify(tokenType)}; only Bearer can be sent downstream`,
    );
  const issued = json?.['issued_token_type'];
  // RFC 8693 §2.2.1: REQUIRED. Tolerated when absent (some servers omit it), refused when another type.
  if (profile !== 'entra-obo' && issued !== undefined && issued !== ACCESS_TOKEN_TYPE)
    throw new GatewayError(
      'exchange_response_invalid',
      `the exchange issued ${JSON.stringify(issued)}, not an access token`,
    );
  const expiresIn = json?.['expires_in'];
  const fromExpiresIn =
    typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0
      ? now + expiresIn * 1000
      : typeof expiresIn === 'string' && /^\d{1,9}$/.test(expiresIn)
        ? now + Number(expiresIn) * 1000
        : undefined;
  const { exp } = jwtFacts(accessToken);
  const fromJwt = exp === undefined ? undefined : exp * 1000;
  const expiresAt = Math.min(fromExpiresIn ?? Infinity, fromJwt ?? Infinity);
  const scope = typeof json?.['scope'] === 'string' ? json['scope'] : undefined;
  return {
    accessToken,
    tokenType: 'Bearer',
    expiresAt: Number.isFinite(expiresAt) ? expiresAt : now,
    scope,
  };
}

/**
 * Creates the exchanger that turns a verified inbound token into a downstream token:
 * RFC 8693 token exchange (`subject_token` = the inbound token, `subject_token_type` =
 * access token, `resource`/`audience` and `scope` of the target), or Entra's RFC 7523
 * on-behalf-of request, authenticated as the gateway (`client_secret_basic` or
 * `private_key_jwt`). Answers are cached per (hash of the inbound token, target, scopes)
 * until `expiryMarginSeconds` before `expires_in`.
 *
 * @example
 * ```ts
 * import { createTokenExchanger } from '@prmkit/gateway';
 *
 * const exchanger = createTokenExchanger({
 *   issuer: 'https://auth.example.com',
 *   client: { method: 'client_secret_basic', clientId: 'gateway', clientSecret: 's3cret' },
 *   profile: 'keycloak',
 * });
 * ```
 * @see RFC 8693 §2, RFC 7523 §2.1, RFC 8414 §3, RFC 8707 §2
 */
export function createTokenExchanger(options: TokenExchangerOptions): TokenExchanger {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const profile = options.profile ?? 'rfc8693';
  const cache = new ExchangeCache(
    options.store ?? createMemoryStore(),
    (options.expiryMarginSeconds ?? 30) * 1000,
  );
  const tokenEndpoint =
    options.tokenEndpoint === undefined
      ? tokenEndpointResolver(options.issuer, fetchImpl, timeoutMs)
      : () => Promise.resolve(options.tokenEndpoint as string);
  const inFlight = new Map<string, Promise<{ token: CachedToken; source: 'exchange' | 'cache' }>>();

  const exchange = async (auth: AuthInfo, target: DownstreamTarget): Promise<CachedToken> => {
    const endpoint = await tokenEndpoint();
    const body = exchangeParameters(profile, auth.token, target);
    const headers = new Headers({
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    });
    await authenticateClient(options.client, options.issuer, headers, body);
    let response: Response;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new GatewayError(
        'exchange_unavailable',
        'the authorization server cannot be reached for the exchange',
        { cause, retryAfter: DEFAULT_RETRY_AFTER },
      );
    }
    const now = Date.now();
    const token = await readTokenResponse(response, profile, auth.token, now);
    // Never past the inbound token's own expiry: the exchange was made on its behalf.
    if (auth.expiresAt !== undefined)
      return { ...token, expiresAt: Math.min(token.expiresAt, auth.expiresAt * 1000) };
    return token;
  };

  const obtain = async (
    auth: AuthInfo,
    target: DownstreamTarget,
    slot: string,
  ): Promise<{ token: CachedToken; source: 'exchange' | 'cache' }> => {
    // The cache only saves requests: when the store is out, exchange (and do not store).
    // That bypasses the cache, never the exchange.
    const cached = await cache.get(slot, auth.token, Date.now()).catch(() => undefined);
    if (cached !== undefined) return { token: cached, source: 'cache' };
    const token = await exchange(auth, target);
    await cache.set(slot, auth.token, token, Date.now()).catch(() => undefined);
    return { token, source: 'exchange' };
  };

  return {
    async tokenFor(auth, target) {
      const slot = await cache.slot(
        auth.token,
        `${target.name}\n${target.resource ?? ''}\n${target.audience ?? ''}`,
        target.scopes,
      );
      let pending = inFlight.get(slot);
      const joined = pending !== undefined;
      if (pending === undefined) {
        pending = obtain(auth, target, slot).finally(() => inFlight.delete(slot));
        inFlight.set(slot, pending);
      }
      try {
        const result = await pending;
        const { token } = result;
        // A call that joined another's exchange did not ask the authorization server itself.
        const source = joined && result.source === 'exchange' ? 'shared' : result.source;
        if (options.onExchange !== undefined) {
          const facts = jwtFacts(token.accessToken);
          options.onExchange({
            target: target.name,
            source,
            inboundAudience: auth.audience,
            audience: facts.aud,
            actor: facts.act,
          });
        }
        return { ...token };
      } catch (error) {
        const failure =
          error instanceof GatewayError
            ? error
            : new GatewayError('exchange_unavailable', 'the exchange failed', {
                cause: error,
                retryAfter: DEFAULT_RETRY_AFTER,
              });
        options.onExchange?.({
          target: target.name,
          source: 'exchange',
          inboundAudience: auth.audience,
          audience: [],
          actor: undefined,
          error: failure.code,
        });
        throw failure;
      }
    },
  };
}
