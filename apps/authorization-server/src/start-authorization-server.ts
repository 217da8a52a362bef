import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type Provider from 'oidc-provider';
import { DEMO_USERS } from './demo-users.js';
import { createInteractionHandler } from './interactions.js';
import { resolveOptions, type AuthorizationServerOptions } from './options.js';
import { loadOidcProvider } from './load-oidc-provider.js';
import { providerConfiguration } from './provider-config.js';
import { registerTokenExchange } from './token-exchange.js';

/** A running authorization server. */
export interface RunningAuthorizationServer {
  /** The issuer identifier (also the base of every endpoint). */
  readonly issuer: string;
  /** Base URL the server listens on, without a trailing slash. */
  readonly url: string;
  /** The bound TCP port. */
  readonly port: number;
  /** RFC 8414 metadata URL: `<issuer>/.well-known/oauth-authorization-server`. */
  readonly metadataUrl: string;
  /** The public signing keys (also served at the `jwks_uri`). */
  readonly publicKeys: readonly JWK[];
  /** Stops accepting connections, closes open ones and resolves when the port is free. */
  close(): Promise<void>;
}

const OAUTH_METADATA_PATH = '/.well-known/oauth-authorization-server';
const OPENID_METADATA_PATH = '/.well-known/openid-configuration';

async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

const publicPart = (key: JWK): JWK => {
  const { kty, n, e, kid, alg, use } = key;
  return Object.fromEntries(
    Object.entries({ kty, n, e, kid, alg, use }).filter(([, value]) => value !== undefined),
  ) as JWK;
};

const formatHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/**
 * Starts a local OAuth 2.1 authorization server (oidc-provider) on a loopback address:
 * authorization code with S256 PKCE, open dynamic client registration, resource
 * indicators issuing RS256 JWT access tokens with `aud` = resource, client credentials,
 * refresh tokens, JWKS, and metadata at both `/.well-known/oauth-authorization-server`
 * and `/.well-known/openid-configuration`.
 *
 * @example
 * ```ts
 * import { startAuthorizationServer } from '@prmkit/authorization-server';
 *
 * const as = await startAuthorizationServer({ port: 0, autoApprove: {} });
 * console.log(as.metadataUrl); // http://127.0.0.1:54321/.well-known/oauth-authorization-server
 * await as.close();
 * ```
 * @see RFC 8414 §3 (metadata), RFC 8707 §2 (resource), RFC 9068 §2 (JWT access tokens),
 *   RFC 7591 §3 (registration), RFC 7636 §4 (PKCE), RFC 9207 §2 (`iss` in the response)
 */
export async function startAuthorizationServer(
  options: AuthorizationServerOptions = {},
): Promise<RunningAuthorizationServer> {
  const resolved = resolveOptions(options, DEMO_USERS);
  const signingKeys = resolved.signingKeys ?? [await generateSigningKey()];

  // The issuer may depend on the port the OS picks, so listen first and install the
  // provider right after; requests arriving in between get a 503.
  let handler = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(503, { 'retry-after': '1' }).end();
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => handler(req, res);
  // With tls: HTTPS asking for (not requiring) a client certificate, for RFC 8705.
  const server = resolved.tls
    ? createHttpsServer({ ...resolved.tls, requestCert: true, rejectUnauthorized: false }, listener)
    : createServer(listener);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `${resolved.tls ? 'https' : 'http'}://${formatHost(resolved.host)}:${port}`;
  const issuer = (resolved.issuer ?? url).replace(/\/+$/, '');

  let provider: Provider;
  try {
    const oidc = await loadOidcProvider();
    provider = new oidc.default(issuer, providerConfiguration(resolved, signingKeys, oidc.errors));
    registerTokenExchange(provider, resolved, signingKeys.map(publicPart), oidc.errors);
  } catch (error) {
    server.close();
    throw error;
  }
  // Trust no proxy headers: the server is local and the issuer is fixed.
  provider.proxy = false;
  const providerCallback = provider.callback();
  const interactions = createInteractionHandler(provider, resolved);

  handler = (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    if (pathname === OAUTH_METADATA_PATH) {
      // RFC 8414 metadata is the same document oidc-provider serves for OpenID discovery.
      req.url = OPENID_METADATA_PATH + (req.url ?? '').slice(pathname.length);
      providerCallback(req, res);
      return;
    }
    if (pathname.startsWith('/interaction/')) {
      void interactions(req, res, pathname);
      return;
    }
    providerCallback(req, res);
  };

  let closing: Promise<void> | undefined;
  return {
    issuer,
    url,
    port,
    metadataUrl: `${issuer}${OAUTH_METADATA_PATH}`,
    publicKeys: signingKeys.map(publicPart),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
