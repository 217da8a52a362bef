import type { JWK } from 'jose';
import type { DemoUser } from './demo-users.js';

/** How `startAuthorizationServer` decides who signs in and what is granted without a page. */
export interface AutoApprove {
  /** The demo user signed in for every authorization request. Default `alice`. */
  readonly username?: string;
}

/**
 * Options for {@link startAuthorizationServer}. Every field is optional.
 *
 * @example
 * ```ts
 * const as = await startAuthorizationServer({ port: 0, autoApprove: {}, scopes: ['mcp:tools'] });
 * ```
 * @see RFC 8414 §2 for the metadata the server publishes from these options.
 */
export interface AuthorizationServerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Loopback address to bind: `127.0.0.1` (default), `::1` or `localhost`. */
  readonly host?: string;
  /**
   * The issuer identifier. Default `http://127.0.0.1:<port>` (or the bound host), so that
   * the issuer always names the address the server really listens on.
   */
  readonly issuer?: string;
  /** Scopes the server may grant for a resource. Default `['mcp:tools', 'mcp:admin']`. */
  readonly scopes?: readonly string[];
  /**
   * Resources (RFC 8707 `resource` values) accepted besides loopback ones, compared exactly.
   * Default none.
   */
  readonly resources?: readonly string[];
  /**
   * Whether any `http(s)` resource on a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`)
   * is accepted. Default `true`; set `false` to accept only {@link resources}.
   */
  readonly allowLoopbackResources?: boolean;
  /** Access token lifetime in seconds. Default 900. */
  readonly accessTokenTtl?: number;
  /** Refresh token lifetime in seconds. Default 86400. */
  readonly refreshTokenTtl?: number;
  /**
   * `jwt` (default): RFC 9068 JWT access tokens. `opaque`: random reference tokens that
   * resource servers check through RFC 7662 introspection (and that RFC 7009 revocation
   * ends at once).
   */
  readonly accessTokenFormat?: 'jwt' | 'opaque';
  /**
   * DPoP (RFC 9449) is always on: a token request with a `DPoP` proof gets a DPoP-bound
   * access token (`token_type: DPoP`, `cnf.jkt`). `requireNonce: true` also makes every
   * proof carry a server nonce (`use_dpop_nonce` first), to exercise clients' nonce retry.
   */
  readonly dpop?: { readonly requireNonce?: boolean };
  /**
   * Skip the login and consent pages: sign in a demo user and grant the requested scopes
   * (only those in {@link scopes}). For tests and demos. Default off.
   */
  readonly autoApprove?: AutoApprove | false;
  /** Who can sign in. Default {@link DEMO_USERS} (alice/alice, bob/bob). */
  readonly users?: readonly DemoUser[];
  /** Private signing keys (JWK, RS256). Default: one fresh RSA key per start. */
  readonly signingKeys?: readonly JWK[];
  /**
   * mTLS (RFC 8705): listen on HTTPS with this certificate and key (PEM), asking for a client
   * certificate; oidc-provider's `features.mTLS` binds access tokens to it
   * (`cnf["x5t#S256"]`) and authenticates `self_signed_tls_client_auth` clients by it.
   */
  readonly tls?: { readonly cert: string; readonly key: string };
  /**
   * Clients registered with a self-signed certificate (PEM), for the client credentials
   * grant with `self_signed_tls_client_auth`; their tokens are certificate-bound. Needs `tls`.
   */
  readonly mtlsClients?: readonly { readonly clientId: string; readonly certificate: string }[];
  /**
   * RFC 8693 token exchange, off by default: which clients may exchange an access token
   * issued here for a token for one of `resources` (a gateway's downstream servers).
   */
  readonly tokenExchange?: TokenExchangeOptions;
}

/**
 * Who may exchange tokens, and for what. Each client is registered at start with only the
 * token-exchange grant: a secret (`client_secret_basic`) or a public JWK set
 * (`private_key_jwt`).
 *
 * @example
 * ```ts
 * const tokenExchange: TokenExchangeOptions = {
 *   clients: [{ clientId: 'gateway', clientSecret: 'a-long-random-secret' }],
 *   resources: ['http://127.0.0.1:4001/mcp', 'http://127.0.0.1:4002/mcp'],
 * };
 * ```
 * @see RFC 8693 §2.1, §5
 */
export interface TokenExchangeOptions {
  readonly clients: readonly TokenExchangeClient[];
  /** Downstream resources (RFC 8707 / RFC 8693 `resource` or `audience`), exact match. */
  readonly resources: readonly string[];
}

/** A client allowed to exchange tokens. */
export type TokenExchangeClient =
  | { readonly clientId: string; readonly clientSecret: string }
  | { readonly clientId: string; readonly jwks: { readonly keys: readonly JWK[] } };

/** Options after defaults; what the rest of the server reads. */
export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly issuer: string | undefined;
  readonly scopes: readonly string[];
  readonly resources: readonly string[];
  readonly allowLoopbackResources: boolean;
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number;
  readonly accessTokenFormat: 'jwt' | 'opaque';
  readonly dpopRequireNonce: boolean;
  readonly autoApprove: { readonly username: string } | undefined;
  readonly users: readonly DemoUser[];
  readonly signingKeys: readonly JWK[] | undefined;
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
  readonly mtlsClients: readonly { readonly clientId: string; readonly certificate: string }[];
  readonly tokenExchange: TokenExchangeOptions | undefined;
}

/** Thrown for an option (or environment variable) that cannot be used; lists every problem. */
export class AuthorizationServerConfigError extends Error {
  override readonly name = 'AuthorizationServerConfigError';
  readonly code = 'ERR_AS_CONFIG';
  constructor(readonly problems: readonly string[]) {
    super(`invalid authorization server configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export const DEFAULT_SCOPES: readonly string[] = Object.freeze(['mcp:tools', 'mcp:admin']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
// RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const isPositiveInteger = (value: number): boolean => Number.isSafeInteger(value) && value > 0;

/** Validates options and fills defaults. */
export function resolveOptions(
  options: AuthorizationServerOptions,
  defaultUsers: readonly DemoUser[],
): ResolvedOptions {
  const problems: string[] = [];
  const port = options.port ?? 0;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) {
    problems.push(`port: expected an integer 0..65535, got ${String(port)}`);
  }
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    problems.push(`host: must be a loopback address (127.0.0.1, ::1 or localhost), got "${host}"`);
  }
  if (options.issuer !== undefined) {
    const url = URL.parse(options.issuer);
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      problems.push(`issuer: expected an http(s) URL, got "${options.issuer}"`);
    } else if (url.search !== '' || url.hash !== '' || options.issuer.includes('#')) {
      problems.push('issuer: must have no query or fragment (RFC 8414 §2)');
    } else if (url.pathname !== '/') {
      problems.push('issuer: must have no path (this server serves its endpoints at the root)');
    }
  }
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  if (scopes.length === 0) problems.push('scopes: at least one scope is required');
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope)) problems.push(`scopes: "${scope}" is not a valid scope token`);
    if (scope === 'openid' || scope === 'offline_access') {
      problems.push(`scopes: "${scope}" is built in; list only resource scopes`);
    }
  }
  const resources = options.resources ?? [];
  for (const resource of resources) {
    const url = URL.parse(resource);
    if (
      url === null ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      resource.includes('#')
    ) {
      problems.push(
        `resources: "${resource}" must be an absolute http(s) URL without a fragment (RFC 8707 §2)`,
      );
    }
  }
  const accessTokenTtl = options.accessTokenTtl ?? 900;
  if (!isPositiveInteger(accessTokenTtl))
    problems.push('accessTokenTtl: expected a positive integer (seconds)');
  const refreshTokenTtl = options.refreshTokenTtl ?? 86_400;
  if (!isPositiveInteger(refreshTokenTtl))
    problems.push('refreshTokenTtl: expected a positive integer (seconds)');
  const accessTokenFormat = options.accessTokenFormat ?? 'jwt';
  if (accessTokenFormat !== 'jwt' && accessTokenFormat !== 'opaque')
    problems.push(
      `accessTokenFormat: expected "jwt" or "opaque", got "${String(accessTokenFormat)}"`,
    );
  const users = options.users ?? defaultUsers;
  if (users.length === 0) problems.push('users: at least one user is required');
  const autoApprove = options.autoApprove
    ? { username: options.autoApprove.username ?? 'alice' }
    : undefined;
  if (autoApprove && !users.some((user) => user.username === autoApprove.username)) {
    problems.push(`autoApprove.username: no user named "${autoApprove.username}"`);
  }
  if (options.signingKeys !== undefined) {
    if (options.signingKeys.length === 0)
      problems.push('signingKeys: empty; omit it to generate a key');
    for (const key of options.signingKeys) {
      if (key.kty !== 'RSA' || typeof key.d !== 'string') {
        problems.push('signingKeys: every key must be a private RSA JWK (RS256)');
      }
    }
  }
  if (options.mtlsClients !== undefined && options.mtlsClients.length > 0 && !options.tls) {
    problems.push('mtlsClients: needs tls (clients are authenticated by their TLS certificate)');
  }
  checkTokenExchange(options.tokenExchange, problems);
  if (problems.length > 0) throw new AuthorizationServerConfigError(problems);
  return {
    tls: options.tls,
    mtlsClients: options.mtlsClients ?? [],
    port,
    host,
    issuer: options.issuer,
    scopes: [...new Set(scopes)],
    resources,
    allowLoopbackResources: options.allowLoopbackResources ?? true,
    accessTokenTtl,
    refreshTokenTtl,
    accessTokenFormat,
    dpopRequireNonce: options.dpop?.requireNonce === true,
    autoApprove,
    users,
    signingKeys: options.signingKeys,
    tokenExchange: options.tokenExchange,
  };
}

function checkTokenExchange(exchange: TokenExchangeOptions | undefined, problems: string[]): void {
  if (exchange === undefined) return;
  if (exchange.clients.length === 0) problems.push('tokenExchange.clients: at least one client');
  const ids = new Set<string>();
  for (const client of exchange.clients) {
    if (!/^[\x21-\x7E]{1,200}$/.test(client.clientId))
      problems.push(`tokenExchange.clients: "${client.clientId}" is not a usable client id`);
    if (ids.has(client.clientId))
      problems.push(`tokenExchange.clients: "${client.clientId}" is listed twice`);
    ids.add(client.clientId);
    if ('clientSecret' in client && client.clientSecret.length < 16)
      problems.push(
        `tokenExchange.clients: the secret of "${client.clientId}" is shorter than 16 characters`,
      );
    if ('jwks' in client && client.jwks.keys.some((key) => 'd' in key))
      problems.push(`tokenExchange.clients: the jwks of "${client.clientId}" holds a private key`);
  }
  if (exchange.resources.length === 0)
    problems.push('tokenExchange.resources: at least one downstream resource');
  for (const resource of exchange.resources) {
    const url = URL.parse(resource);
    if (url === null || resource.includes('#'))
      problems.push(
        `tokenExchange.resources: "${resource}" must be an absolute URI without a fragment`,
      );
  }
}
