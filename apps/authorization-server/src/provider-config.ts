import { randomBytes, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { JWK } from 'jose';
import type {
  ClientMetadata,
  Configuration,
  KoaContextWithOIDC,
  errors as OidcErrors,
} from 'oidc-provider';
import { createMemoryAdapter } from './memory-adapter.js';
import { errorPage } from './pages.js';
import type { ResolvedOptions } from './options.js';
import { isLoopbackHostname, resourcePolicy } from './resource-policy.js';
import { widenRegisteredScope } from './registered-scope.js';
import { exchangeClients, exchangeTokenClaims } from './token-exchange.js';

const isLoopbackOrigin = (origin: string): boolean => {
  const url = URL.parse(origin);
  return (
    url !== null &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    isLoopbackHostname(url.hostname)
  );
};

/**
 * The oidc-provider configuration: OAuth 2.1 code flow with S256 PKCE for every client,
 * open dynamic registration, resource indicators issuing RS256 JWT access tokens
 * (`typ: at+jwt`) whose audience is the resource, client credentials and refresh tokens.
 *
 * @see RFC 9068, RFC 8707, RFC 7591, RFC 7636
 */
export function providerConfiguration(
  options: ResolvedOptions,
  signingKeys: readonly JWK[],
  errors: typeof OidcErrors,
): Configuration {
  const acceptsResource = resourcePolicy(
    [...options.resources, ...(options.tokenExchange?.resources ?? [])],
    options.allowLoopbackResources,
  );
  const resourceScope = options.scopes.join(' ');
  const users = new Map(options.users.map((user) => [user.username, user]));

  return {
    adapter: createMemoryAdapter(),
    // RFC 8693: the exchange clients, registered at start (none unless tokenExchange is set).
    clients: exchangeClients(options.tokenExchange),
    extraTokenClaims: exchangeTokenClaims,
    jwks: { keys: signingKeys.map((key) => ({ ...key })) },
    // Fresh per start: sessions do not survive a restart, and nothing secret is checked in.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'offline_access', ...options.scopes],
    // A registration's `scope` is no ceiling for resource scopes (step-up must work).
    extraClientMetadata: widenRegisteredScope(options.scopes),
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    ...(options.mtlsClients.length > 0 && { clients: options.mtlsClients.map(mtlsClient) }),
    // RFC 8705 §2.2 next to the defaults when listening on TLS.
    ...(options.tls && {
      clientAuthMethods: [
        'client_secret_basic',
        'client_secret_jwt',
        'client_secret_post',
        'private_key_jwt',
        'none',
        'self_signed_tls_client_auth',
      ],
    }),
    responseTypes: ['code'],
    // OAuth 2.1: PKCE for every client, confidential ones included (only S256 exists in v9).
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: false },
      clientCredentials: { enabled: true },
      // RFC 7662 for confidential clients (resource servers); RFC 7009 by the token's client.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client) => client.clientAuthMethod !== 'none',
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: { enabled: false },
      // RFC 8705 with tls: tokens of clients that ask for it are bound to the TLS client
      // certificate (cnf["x5t#S256"]); self_signed_tls_client_auth authenticates by it.
      mTLS: {
        enabled: options.tls !== undefined,
        certificateBoundAccessTokens: true,
        selfSignedTlsClientAuth: true,
        getCertificate: (ctx: KoaContextWithOIDC) => {
          const socket = ctx.socket as Partial<TLSSocket>;
          const raw = socket.encrypted ? socket.getPeerCertificate?.(false)?.raw : undefined;
          return raw && raw.byteLength > 0 ? new X509Certificate(raw) : undefined;
        },
      },
      // RFC 9449: a proof on the token request binds the access token to its key (cnf.jkt).
      dPoP: {
        enabled: true,
        nonceSecret: randomBytes(32),
        requireNonce: () => options.dpopRequireNonce,
        allowReplay: false,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf,
        // The token request may omit `resource` and still get the audience granted earlier.
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resourceIndicator) => {
          if (!acceptsResource(resourceIndicator)) {
            throw new errors.InvalidTarget(
              `resource "${resourceIndicator}" is not served by this authorization server`,
            );
          }
          return {
            scope: resourceScope,
            audience: resourceIndicator,
            accessTokenTTL: options.accessTokenTtl,
            ...(options.accessTokenFormat === 'opaque'
              ? { accessTokenFormat: 'opaque' as const }
              : { accessTokenFormat: 'jwt' as const, jwt: { sign: { alg: 'RS256' as const } } }),
          };
        },
      },
    },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const user = users.get(sub);
      if (user === undefined) return undefined;
      return {
        accountId: user.username,
        claims: async () => ({ sub: user.username, name: user.name, email: user.email }),
      };
    },
    // Refresh tokens for every client registered for the grant, without `offline_access`:
    // MCP clients ask for resource scopes only.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    clientBasedCORS: (_ctx, origin) => isLoopbackOrigin(origin),
    ttl: {
      AccessToken: options.accessTokenTtl,
      ClientCredentials: options.accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: options.refreshTokenTtl,
      Interaction: 600,
      Session: 86_400,
      Grant: options.refreshTokenTtl,
    },
    renderError: async (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.set('cache-control', 'no-store');
      ctx.body = errorPage(
        'Request refused',
        `${out.error}: ${out.error_description ?? ''}`.trim(),
      );
    },
  };
}

/**
 * A client authenticated by its self-signed certificate (RFC 8705 §2.2): the certificate's
 * public key with `x5c`, so oidc-provider matches the presented certificate's thumbprint;
 * its client credentials tokens are certificate-bound.
 */
function mtlsClient(c: {
  readonly clientId: string;
  readonly certificate: string;
}): ClientMetadata {
  const cert = new X509Certificate(c.certificate);
  const jwk = cert.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return {
    client_id: c.clientId,
    token_endpoint_auth_method: 'self_signed_tls_client_auth',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    tls_client_certificate_bound_access_tokens: true,
    jwks: { keys: [{ ...jwk, x5c: [cert.raw.toString('base64')] }] } as ClientMetadata['jwks'],
  };
}
