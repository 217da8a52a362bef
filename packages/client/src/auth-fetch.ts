import { readChallenges } from './challenges.js';
import { discover, pickChallenge } from './discover.js';
import type { DiscoveryResult } from './discover-types.js';
import { ClientError } from './errors.js';
import type { FetchLike, HttpPolicy } from './http.js';
import { MetadataCache } from './metadata-cache.js';
import type { ProtectedResourceMetadata } from './metadata-types.js';
import { createAuthorizationRequest, parseAuthorizationResponse } from './oauth/authorization.js';
import type { PkcePolicy } from './oauth/authorization.js';
import { resolveClientIdentity } from './oauth/registration.js';
import { tokenRequest } from './oauth/token.js';
import type { ClientIdentity, PreRegisteredClient, TokenSet } from './oauth/types.js';
import { MemoryCredentialStore } from './store.js';
import type { CredentialStore, StoreKey } from './store.js';

/** Options of {@link createAuthFetch}. */
export interface AuthFetchOptions extends HttpPolicy {
  /** `authorization_code` (default; a user approves) or `client_credentials` (machine to machine). */
  readonly grant?: 'authorization_code' | 'client_credentials';
  /** A pre-registered client. Without it: CIMD (`clientMetadataUrl`), then dynamic registration. */
  readonly client?: PreRegisteredClient;
  /** https URL of this client's Client ID Metadata Document, used when the AS supports CIMD. */
  readonly clientMetadataUrl?: string;
  /** Members merged into the RFC 7591 registration request (`client_name`, `logo_uri`, ...). */
  readonly clientMetadata?: Readonly<Record<string, unknown>>;
  /** Redirect URI for the authorization code grant (e.g. from `startLoopbackRedirect()`). */
  readonly redirectUri?: string;
  /**
   * Shows the authorization URL to the user and resolves with the URL the browser was
   * redirected to (code, state, iss). Never passed to a shell by prmkit. See
   * `followAuthorizationRedirects` for non-interactive (test) servers and
   * `startLoopbackRedirect` in `@prmkit/client/node`.
   */
  readonly openAuthorizationUrl?: (url: URL) => Promise<string | URL>;
  /** Default: a new `MemoryCredentialStore`. */
  readonly store?: CredentialStore;
  /** Default: a new `MetadataCache`. */
  readonly cache?: MetadataCache;
  /** What to do when the AS omits `code_challenge_methods_supported`. Default refuse. */
  readonly pkce?: PkcePolicy;
  /** RFC 8707 `resource` on authorization, token and refresh requests. Default `'send'`. */
  readonly resourceParameter?: 'send' | 'omit';
  /** Request `offline_access` when the AS lists it in scopes_supported. Default `'if-advertised'`. */
  readonly offlineAccess?: 'if-advertised' | 'never';
  /** Full authorizations allowed before a success (initial + step-ups). Default 3. */
  readonly maxAuthorizations?: number;
  /** Picks among several authorization servers. Default the first. */
  readonly selectAuthorizationServer?: (
    issuers: readonly string[],
    metadata: ProtectedResourceMetadata,
  ) => string;
  /** Called with each discovery result (for logging or UI). */
  readonly onDiscovery?: (result: DiscoveryResult) => void;
}

interface Session {
  discovery: DiscoveryResult | undefined;
  key: StoreKey | undefined;
  /** Full authorizations since the last success. */
  attempts: number;
  /** Scopes asked for in the last authorization. */
  requested: readonly string[] | undefined;
  inflight: Promise<Obtained> | undefined;
}

interface Obtained {
  readonly tokens: TokenSet;
  /** Newly issued for this request (a 401 with it is final). */
  readonly fresh: boolean;
}

/** Seconds before `expiresAt` at which a token counts as expired. */
const EXPIRY_SKEW_MS = 30_000;

/**
 * A `fetch` that authorizes transparently: on a 401 it discovers the authorization server
 * (RFC 9728), obtains a token (authorization code + PKCE, or client credentials; RFC 8707
 * `resource` on every request), and retries once; on a 403 `insufficient_scope` it
 * re-authorizes with the union of scopes. A 401 right after a fresh token throws
 * `unauthorized_after_token`; more than `maxAuthorizations` throws `step_up_limit`.
 * Tokens are sent only to the origin of the resource they were issued for.
 *
 * @example
 * ```ts
 * import { createAuthFetch, followAuthorizationRedirects } from '@prmkit/client';
 * import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
 *
 * const authFetch = createAuthFetch({
 *   redirectUri: 'http://127.0.0.1:8976/callback',
 *   openAuthorizationUrl: async (url) => { showToUser(url); return await waitForRedirect(); },
 * });
 * const transport = new StreamableHTTPClientTransport(new URL('https://mcp.example.com/mcp'), { fetch: authFetch });
 * await new Client({ name: 'app', version: '1.0.0' }).connect(transport);
 * ```
 * @see RFC 9728 §5, RFC 6750 §3.1, RFC 8707 §2, MCP 2025-11-25 authorization
 */
export function createAuthFetch(options: AuthFetchOptions = {}): FetchLike {
  const store = options.store ?? new MemoryCredentialStore();
  const cache = options.cache ?? new MetadataCache();
  const baseFetch = options.fetch ?? globalThis.fetch;
  const maxAuthorizations = options.maxAuthorizations ?? 3;
  const sessions = new Map<string, Session>();
  // A pre-registered client serves one authorization server: the one it names, else the
  // first one it is used with. Another server named by some resource never gets its secret.
  let clientIssuer = options.client?.issuer;

  const sessionFor = (url: URL): Session => {
    const id = `${url.origin}${url.pathname}`;
    let session = sessions.get(id);
    if (!session) {
      session = {
        discovery: undefined,
        key: undefined,
        attempts: 0,
        requested: undefined,
        inflight: undefined,
      };
      sessions.set(id, session);
    }
    return session;
  };

  const withResource = (d: DiscoveryResult): string | undefined =>
    options.resourceParameter === 'omit' ? undefined : d.resource;

  async function refresh(
    session: Session,
    tokens: TokenSet,
    stored: ClientIdentity | undefined,
  ): Promise<TokenSet | undefined> {
    const d = session.discovery;
    const key = session.key;
    if (!d || !key || !tokens.refreshToken) return undefined;
    const client = await resolveClientIdentity(identityInput(d, stored));
    try {
      const next = await tokenRequest(
        { issuer: d.issuer, metadata: d.authorizationServerMetadata, client, policy: options },
        {
          grant_type: 'refresh_token',
          refresh_token: tokens.refreshToken,
          resource: withResource(d),
        },
        tokens.scopes,
      );
      // RFC 6749 §6: the old refresh token stays valid when no new one is issued.
      const kept = next.refreshToken ? next : { ...next, refreshToken: tokens.refreshToken };
      await store.set(key, { client: stored, tokens: kept });
      return kept;
    } catch (error) {
      const oauthError = error instanceof ClientError ? error.oauthError : undefined;
      if (oauthError === 'invalid_client') {
        // RFC 6749 §5.2: the client is unknown now; drop the registration only.
        await store.set(key, { tokens, client: undefined });
      } else if (oauthError !== undefined) {
        // The authorization server refused the grant (invalid_grant, ...): the tokens are dead.
        await store.set(key, { client: stored, tokens: undefined });
      }
      // Anything else (an outage, a timeout) says nothing about the refresh token: keep it.
      return undefined;
    }
  }

  function identityInput(d: DiscoveryResult, stored: ClientIdentity | undefined) {
    if (options.client) clientIssuer ??= d.issuer;
    return {
      metadata: d.authorizationServerMetadata,
      grant: options.grant ?? 'authorization_code',
      preRegistered: options.client && { ...options.client, issuer: clientIssuer },
      clientMetadataUrl: options.clientMetadataUrl,
      clientMetadata: options.clientMetadata,
      redirectUri: options.redirectUri,
      stored,
      policy: options,
    } as const;
  }

  async function currentTokens(session: Session): Promise<TokenSet | undefined> {
    if (!session.key) return undefined;
    const stored = await store.get(session.key);
    const tokens = stored?.tokens;
    if (!tokens) return undefined;
    if (tokens.expiresAt !== undefined && tokens.expiresAt - EXPIRY_SKEW_MS <= Date.now()) {
      return refresh(session, tokens, stored?.client);
    }
    return tokens;
  }

  /** Full authorization (counts against maxAuthorizations). */
  async function authorizeFully(
    session: Session,
    d: DiscoveryResult,
    scopes: readonly string[] | undefined,
  ): Promise<TokenSet> {
    if (session.attempts >= maxAuthorizations) {
      throw new ClientError(
        'step_up_limit',
        `gave up after ${maxAuthorizations} authorization attempts for ${d.resource}`,
      );
    }
    session.attempts += 1;
    const codeGrant = (options.grant ?? 'authorization_code') === 'authorization_code';
    if (codeGrant && (!options.redirectUri || !options.openAuthorizationUrl))
      throw interactionRequired(d);
    const key = { resource: d.resource, issuer: d.issuer };
    const stored = await store.get(key);
    const client = await resolveClientIdentity(identityInput(d, stored?.client));
    const keepClient = client.source === 'dynamic-registration' ? client : undefined;
    if (keepClient) await store.set(key, { client: keepClient, tokens: stored?.tokens });
    const requested = withOfflineAccess(scopes, d);
    session.requested = scopes;
    const ctx = {
      issuer: d.issuer,
      metadata: d.authorizationServerMetadata,
      client,
      policy: options,
    };
    let tokens: TokenSet;
    try {
      if ((options.grant ?? 'authorization_code') === 'client_credentials') {
        tokens = await tokenRequest(
          ctx,
          {
            grant_type: 'client_credentials',
            scope: joinScopes(scopes),
            resource: withResource(d),
          },
          scopes,
        );
      } else {
        if (!options.redirectUri || !options.openAuthorizationUrl) throw interactionRequired(d);
        const request = await createAuthorizationRequest({
          metadata: d.authorizationServerMetadata,
          clientId: client.clientId,
          redirectUri: options.redirectUri,
          scopes: requested,
          resource: withResource(d),
          pkce: options.pkce,
          allowHttp: options.allowHttp,
        });
        const callback = await options.openAuthorizationUrl(request.url);
        const { code } = parseAuthorizationResponse(callback, {
          state: request.state,
          issuer: d.issuer,
          metadata: d.authorizationServerMetadata,
        });
        tokens = await tokenRequest(
          ctx,
          {
            grant_type: 'authorization_code',
            code,
            redirect_uri: request.redirectUri,
            code_verifier: request.codeVerifier,
            resource: withResource(d),
          },
          requested,
        );
      }
    } catch (error) {
      if (error instanceof ClientError && error.oauthError === 'invalid_client') {
        // Drop the registration only; discovery results go too (rule: invalid_client).
        await store.set(key, { client: undefined, tokens: undefined });
        cache.invalidate(d.resource, d.issuer);
      }
      throw error;
    }
    await store.set(key, { client: keepClient, tokens });
    return tokens;
  }

  function withOfflineAccess(
    scopes: readonly string[] | undefined,
    d: DiscoveryResult,
  ): readonly string[] | undefined {
    if ((options.offlineAccess ?? 'if-advertised') === 'never') return scopes;
    if ((options.grant ?? 'authorization_code') !== 'authorization_code') return scopes;
    const advertised = d.authorizationServerMetadata.scopes_supported;
    if (!Array.isArray(advertised) || !advertised.includes('offline_access')) return scopes;
    if (scopes?.includes('offline_access')) return scopes;
    return [...(scopes ?? []), 'offline_access'];
  }

  async function obtain(
    session: Session,
    url: URL,
    res: Response,
    sent: TokenSet | undefined,
    stepUp: boolean,
  ): Promise<Obtained> {
    // A 401 to a token we sent: the resource may have moved to another AS (SEP-2352), so
    // the cached metadata is re-read rather than trusted until its TTL runs out.
    if (sent && !stepUp) cache.delete(url.href);
    const d = await discover(url, {
      ...options,
      probeResponse: res,
      cache,
      ...(options.selectAuthorizationServer
        ? { selectAuthorizationServer: options.selectAuthorizationServer }
        : {}),
    });
    options.onDiscovery?.(d);
    if (session.key && (session.key.issuer !== d.issuer || session.key.resource !== d.resource)) {
      // Another AS or resource now: the old credentials are never reused for it.
      session.attempts = 0;
    }
    session.discovery = d;
    session.key = { resource: d.resource, issuer: d.issuer };
    const stored = await store.get(session.key);

    if (stepUp) {
      const challenge = pickChallenge(readChallenges(res.headers));
      const scopes = union(sent?.scopes, session.requested, challenge?.scope);
      return { tokens: await authorizeFully(session, d, scopes), fresh: true };
    }
    // A stored token we did not send yet (e.g. from a file store) is tried first.
    if (stored?.tokens && stored.tokens.accessToken !== sent?.accessToken) {
      return { tokens: stored.tokens, fresh: false };
    }
    if (stored?.tokens?.refreshToken) {
      const refreshed = await refresh(session, stored.tokens, stored.client);
      if (refreshed) return { tokens: refreshed, fresh: true };
    }
    return { tokens: await authorizeFully(session, d, d.scopes), fresh: true };
  }

  async function obtainOnce(
    session: Session,
    url: URL,
    res: Response,
    sent: TokenSet | undefined,
    stepUp: boolean,
  ): Promise<Obtained> {
    // Concurrent 401s share one authorization.
    if (session.inflight) return session.inflight;
    const p = obtain(session, url, res, sent, stepUp);
    session.inflight = p;
    try {
      return await p;
    } finally {
      session.inflight = undefined;
    }
  }

  async function send(
    original: Request,
    session: Session,
    tokens: TokenSet | undefined,
  ): Promise<Response> {
    const request = original.clone();
    const target = new URL(request.url);
    const headers = new Headers(request.headers);
    if (
      tokens &&
      session.discovery &&
      new URL(session.discovery.resource).origin === target.origin
    ) {
      headers.set('authorization', `Bearer ${tokens.accessToken}`);
    }
    return baseFetch(new Request(request, { headers }));
  }

  return async function authFetch(
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> {
    const original = new Request(input, init);
    const url = new URL(original.url);
    url.hash = '';
    const session = sessionFor(url);
    let tokens = await currentTokens(session);
    let res = await send(original, session, tokens);
    let fresh = false;
    // Bounded: each pass either returns, throws, or spends one of maxAuthorizations (+ refreshes).
    for (let pass = 0; pass < maxAuthorizations + 3; pass += 1) {
      const stepUp =
        res.status === 403 &&
        readChallenges(res.headers).some((c) => c.error === 'insufficient_scope');
      if (res.status !== 401 && !stepUp) break;
      if (res.status === 401 && fresh) {
        await res.body?.cancel().catch(() => undefined);
        if (session.key)
          await store.set(session.key, {
            client: (await store.get(session.key))?.client,
            tokens: undefined,
          });
        if (session.discovery)
          cache.invalidate(session.discovery.resource, session.discovery.issuer);
        throw new ClientError(
          'unauthorized_after_token',
          `${url.href} answered 401 to a freshly issued token`,
          { status: 401 },
        );
      }
      const obtained = await obtainOnce(session, url, res, tokens, stepUp);
      await res.body?.cancel().catch(() => undefined);
      tokens = obtained.tokens;
      fresh = obtained.fresh;
      res = await send(original, session, tokens);
    }
    if (res.status < 400) session.attempts = 0;
    return res;
  };
}

function interactionRequired(d: DiscoveryResult): ClientError {
  return new ClientError(
    'interaction_required',
    `authorization at ${d.issuer} needs a user: set redirectUri and openAuthorizationUrl (or use grant: 'client_credentials')`,
  );
}

function union(...lists: (readonly string[] | undefined)[]): string[] | undefined {
  const out = new Set<string>();
  for (const list of lists) for (const s of list ?? []) out.add(s);
  return out.size === 0 ? undefined : [...out];
}

function joinScopes(scopes: readonly string[] | undefined): string | undefined {
  return scopes && scopes.length > 0 ? scopes.join(' ') : undefined;
}

/**
 * An `openAuthorizationUrl` for servers that approve without a user (tests, demos, the MCP
 * conformance suite): stands in for the browser, requesting the authorization URL with
 * `redirect: 'manual'`, following redirects on the authorization server's origin (at most
 * `maxHops`, default 10) with a cookie jar (login and consent steps keep state in cookies,
 * as in a browser), and returning the first `Location` that points at `redirectUri`.
 * Nothing listens on the redirect URI, and it is never fetched.
 *
 * @example
 * ```ts
 * const redirectUri = 'http://127.0.0.1:3000/callback';
 * createAuthFetch({ redirectUri, openAuthorizationUrl: followAuthorizationRedirects({ redirectUri }), allowHttp: 'loopback' });
 * ```
 * @see OAuth 2.1 §4.1.2 (authorization response), RFC 6265 §5.4 (Cookie header)
 */
export function followAuthorizationRedirects(options: {
  readonly redirectUri: string;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  readonly maxHops?: number;
}): (url: URL) => Promise<string> {
  const redirect = new URL(options.redirectUri);
  const maxHops = options.maxHops ?? 10;
  return async (start: URL) => {
    const cookies = new Map<string, string>();
    let url = start;
    for (let hop = 0; hop < maxHops; hop += 1) {
      const headers: Record<string, string> = { accept: 'text/html' };
      if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      let res: Response;
      try {
        res = await (options.fetch ?? globalThis.fetch)(url, {
          redirect: 'manual',
          headers,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (cause) {
        throw new ClientError('fetch_failed', `authorization request to ${url.origin} failed`, {
          cause,
        });
      }
      await res.body?.cancel().catch(() => undefined);
      for (const line of res.headers.getSetCookie()) rememberCookie(cookies, line);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) {
        throw new ClientError(
          'authorization_response_invalid',
          `authorization endpoint answered ${res.status} at ${url.pathname} without a redirect (a person would sign in here: is the server set to approve on its own?)`,
          { status: res.status },
        );
      }
      const next = new URL(location, url);
      if (next.origin === redirect.origin && next.pathname === redirect.pathname) return next.href;
      if (next.origin !== start.origin)
        throw new ClientError(
          'redirect_refused',
          `cross-origin redirect to ${next.origin} refused`,
        );
      url = next;
    }
    throw new ClientError(
      'redirect_refused',
      `no redirect back to ${redirect.href} after ${maxHops} hops`,
    );
  };
}

/** Keeps `name=value` of a Set-Cookie line; an empty value or a past expiry deletes it. */
function rememberCookie(cookies: Map<string, string>, line: string): void {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  const expired = attributes.some((attribute) => {
    const [k = '', v = ''] = attribute.split('=');
    const key = k.trim().toLowerCase();
    if (key === 'max-age') return Number(v) <= 0;
    if (key === 'expires') return Date.parse(v) <= Date.now();
    return false;
  });
  if (value === '' || expired) cookies.delete(name);
  else cookies.set(name, value);
}
