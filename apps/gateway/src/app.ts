import { isLoopbackHost } from '@prmkit/core/http';
import type { KeyValueStore } from '@prmkit/core/store';
import {
  createGateway,
  createTokenExchanger,
  type ExchangeEvent,
  type ExchangeProfile,
  GatewayError,
  type GatewayClientAuth,
  gatewayRefusal,
  rewriteDownstreamAnswer,
} from '@prmkit/gateway';
import { prmkit, type PrmkitEnv, type ProtectedEnv } from '@prmkit/hono';
import { Hono, type Context } from 'hono';
import { proxy } from 'hono/proxy';
import type { BackendConfig } from './config.js';

/** Options of {@link createGatewayApp}. */
export interface GatewayAppOptions {
  /** Origin clients use (`https://gateway.example.com`); a route's resource is origin + path. */
  readonly publicUrl: string;
  /** Issuer of the authorization server (inbound tokens and the exchange). */
  readonly issuer: string;
  /** JWKS of inbound tokens; default from the issuer's metadata. */
  readonly jwksUri?: string | undefined;
  readonly backends: readonly BackendConfig[];
  /** The gateway's client at the authorization server. */
  readonly client: GatewayClientAuth;
  /** Exchange request shape. Default `rfc8693`. */
  readonly profile?: ExchangeProfile | undefined;
  /** Where exchanged tokens are cached (Redis to share them). Default memory. */
  readonly store?: KeyValueStore | undefined;
  /** Told about each exchange (no token). */
  readonly onExchange?: ((event: ExchangeEvent) => void) | undefined;
}

const isLoopbackHttp = (url: string | undefined): boolean => {
  const parsed = url === undefined ? null : URL.parse(url);
  return parsed !== null && parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
};

/**
 * The gateway as a Hono app: per backend, its own route (`path` and below), its own
 * resource (public origin + path) with RFC 9728 metadata at
 * `/.well-known/oauth-protected-resource<path>`, inbound tokens verified for exactly that
 * resource, and a proxy (Hono's proxy helper, streaming, so SSE passes intact) whose `fetch`
 * is `gateway.fetchFor(auth, backend)`: the inbound token is stripped and an exchanged one
 * for the backend is sent instead. A failed exchange answers per `gatewayRefusal`; a
 * downstream challenge is pointed back at the route (`rewriteDownstreamAnswer`).
 *
 * @example
 * ```ts
 * const app = createGatewayApp({ publicUrl: 'http://127.0.0.1:8080', issuer, backends, client });
 * serve({ fetch: app.fetch, port: 8080 });
 * ```
 * @see RFC 9728 §3.1, RFC 8693 §2, MCP 2026-07-28 security considerations (no passthrough)
 */
export function createGatewayApp(options: GatewayAppOptions): Hono<PrmkitEnv> {
  const gateway = createGateway({
    exchanger: createTokenExchanger({
      issuer: options.issuer,
      client: options.client,
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...(options.store === undefined ? {} : { store: options.store }),
      ...(options.onExchange === undefined ? {} : { onExchange: options.onExchange }),
    }),
    targets: options.backends.map((backend) => ({
      name: backend.name,
      upstream: backend.upstream,
      scopes: backend.scopes,
      ...(backend.resource === undefined ? {} : { resource: backend.resource }),
      ...(backend.audience === undefined ? {} : { audience: backend.audience }),
    })),
  });
  const app = new Hono<PrmkitEnv>();
  for (const backend of options.backends) {
    const resource = `${options.publicUrl}${backend.path}`;
    const loopback = [resource, options.issuer, options.jwksUri].some(isLoopbackHttp);
    const prm = prmkit({
      resource,
      authorizationServers: [options.issuer],
      scopesSupported: backend.scopes,
      requiredScopes: backend.scopes,
      resourceName: `${backend.name} (through the prmkit gateway)`,
      jwt: options.jwksUri === undefined ? {} : { jwksUri: options.jwksUri },
      ...(loopback ? { allowHttp: 'loopback' as const } : {}),
    });
    const upstream = backend.upstream.replace(/\/+$/, '');
    const forward = async (c: Context<ProtectedEnv>): Promise<Response> => {
      const url = new URL(c.req.url);
      const target = `${upstream}${url.pathname.slice(backend.path.length)}${url.search}`;
      const context = {
        resourceMetadataUrl: prm.resourceServer.metadataUrl,
        scopes: backend.scopes,
      };
      try {
        const answer = await proxy(target, {
          raw: c.req.raw,
          customFetch: gateway.fetchFor(c.get('auth'), backend.name),
        });
        // A downstream challenge must send the client back to this route, never around it.
        return rewriteDownstreamAnswer(answer, context);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        const answer = gatewayRefusal(error, context, backend.name);
        return new Response(answer.body, { status: answer.status, headers: answer.headers });
      }
    };
    app.use(prm.metadata);
    app.all(backend.path, prm.requireAuth(), forward);
    app.all(`${backend.path}/*`, prm.requireAuth(), forward);
  }
  return app;
}
