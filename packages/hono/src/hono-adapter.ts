import { guardRequest, nodeMessageHeaders, routeRequirement } from '@prmkit/core/adapter';
import { toResourceServers, toResponse } from '@prmkit/core/adapter';
import { cloudflarePeerCertificate, nodePeerCertificate } from '@prmkit/core/adapter';
import type { HeadersLike, RequireAuthOptions, ResourceServer } from '@prmkit/core';
import type { AnyResourceServerInput } from '@prmkit/core/adapter';
import type { ResourceServerInput } from '@prmkit/core';
import type { ResourceServerSet } from '@prmkit/core';
import type { ResourceServerSetInput } from '@prmkit/core/adapter';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ProtectedEnv } from './env.js';

/**
 * What {@link prmkit} returns: for one resource `Target` is its `ResourceServer`, for
 * several (an array of configurations) their `ResourceServerSet`.
 *
 * @example
 * ```ts
 * const { metadata, requireAuth } = prmkit(config);
 * ```
 * @see RFC 9728 §3, RFC 6750 §3
 */
export interface PrmkitHono<Target extends ResourceServer | ResourceServerSet = ResourceServer> {
  /** The resource server (or set) every handler here uses. */
  readonly resourceServer: Target;
  /**
   * Serves the RFC 9728 metadata at `resourceServer.metadataPaths` and passes every other
   * request on. The paths are absolute (from the configured `resource`): register it on
   * the root app (`app.use(prm.metadata)`), not under a `basePath` or `route` prefix.
   */
  readonly metadata: MiddlewareHandler;
  /**
   * Middleware that admits only requests with a valid token holding every required scope.
   * With several resources, the one owning the request path decides (see `ResourceServerSet`).
   * @throws PrmkitConfigError at once when a scope is not an RFC 6749 §3.3 token.
   */
  requireAuth(options?: RequireAuthOptions): MiddlewareHandler<ProtectedEnv>;
}

/**
 * Options of {@link prmkit}.
 *
 * @example
 * ```ts
 * const prm = prmkit(config, { bodyLimit: 256 * 1024 });
 * ```
 * @see RFC 6750 §3.1
 */
export interface PrmkitHonoOptions {
  /** Largest JSON body read to find the MCP tool called (a larger one needs every tool scope). Default 1 MiB. */
  readonly bodyLimit?: number;
  /** The client's address, for `rateLimit`. On Node: the socket's peer by default; elsewhere none (e.g. `getConnInfo(c).remote.address`). */
  readonly clientAddress?: (c: Context) => string | undefined;
}

/**
 * The request headers. On @hono/node-server, `c.req.raw.headers` builds a Web `Request`
 * from Node's message on first access (costlier than the decision); `c.env.incoming`
 * already has them (duck-typed: no Node import, other runtimes take the Web path).
 */
const requestHeaders = (c: Context): HeadersLike =>
  nodeMessageHeaders((c.env as { incoming?: unknown } | undefined)?.incoming) ?? c.req.raw.headers;

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
/** @hono/node-server: the socket under the request (duck-typed, as for the headers). */
const nodeSocket = (c: Context) => (c.env as NodeBindings)?.incoming?.socket;

/**
 * The client certificate (RFC 8705): the Node socket's on @hono/node-server, Cloudflare's
 * `request.cf.tlsClientAuth` on Workers, none elsewhere. Read only when mTLS is on.
 */
const peerCertificate = (c: Context) => () => {
  const socket = nodeSocket(c);
  if (socket) return nodePeerCertificate(socket)();
  return cloudflarePeerCertificate((c.req.raw as { cf?: unknown }).cf);
};

/**
 * Protects Hono routes with OAuth bearer tokens and serves the RFC 9728 metadata. Uses
 * only Web APIs, so it runs wherever Hono runs. The resource server is created once, here.
 * Give an array of configurations for several resources in one app (each at its own
 * metadata URL, each route decided by the resource that owns its path).
 *
 * @example
 * ```ts
 * const prm = prmkit({ resource: 'https://api.example.com/mcp', authorizationServers: ['https://auth.example.com'] });
 * const app = new Hono<PrmkitEnv>();
 * app.use(prm.metadata);
 * app.post('/mcp', prm.requireAuth(), (c) => c.json({ sub: c.get('auth').subject }));
 *
 * const gateway = prmkit([githubConfig, jiraConfig]); // https://gw.example.com/github/mcp, …/jira/mcp
 * app.use(gateway.metadata);
 * app.post('/github/mcp', gateway.requireAuth(), (c) => c.json(c.get('auth').actor ?? null));
 * ```
 * @see RFC 9728 §3 (metadata), §3.1 (one URL per resource), RFC 6750 §3 (challenges)
 */
export function prmkit(
  input: ResourceServerInput,
  options?: PrmkitHonoOptions,
): PrmkitHono<ResourceServer>;
export function prmkit(
  input: ResourceServerSetInput,
  options?: PrmkitHonoOptions,
): PrmkitHono<ResourceServerSet>;
export function prmkit(
  input: AnyResourceServerInput,
  options?: PrmkitHonoOptions,
): PrmkitHono<ResourceServer | ResourceServerSet>;
export function prmkit(
  input: AnyResourceServerInput,
  options: PrmkitHonoOptions = {},
): PrmkitHono<ResourceServer | ResourceServerSet> {
  const rs = toResourceServers(input);
  const paths = new Set(rs.metadataPaths);

  const metadata: MiddlewareHandler = async (c, next) => {
    // Most requests are not metadata: the path check comes before any other work.
    if (!paths.has(c.req.path) && !c.req.url.includes('%')) return next();
    const { method, url } = c.req; // url: raw (percent-encoded), as the metadata locations are
    const answer = rs.handleMetadataRequest({ method, url, headers: requestHeaders(c) });
    // 404: not a metadata location (the core decides); the app goes on.
    return answer.status === 404 ? next() : toResponse(answer);
  };

  const requireAuth = (authOptions?: RequireAuthOptions): MiddlewareHandler<ProtectedEnv> => {
    const requirement = routeRequirement(authOptions, 'requireAuth()');
    return createMiddleware<ProtectedEnv>(async (c, next) => {
      const outcome = guardRequest(
        rs,
        {
          method: c.req.method,
          url: c.req.url,
          headers: requestHeaders(c),
          // A clone, made only if read: `c.req.raw` stays unread for the handler (the MCP SDK's).
          unreadBody: () => c.req.raw.clone().body ?? undefined,
          bodyLimit: options.bodyLimit,
          clientAddress: options.clientAddress?.(c),
          // The socket itself (never X-Forwarded-For): mTLS trusted proxies. Elsewhere the
          // host does not say, so no certificate header is believed.
          peerAddress: nodeSocket(c)?.remoteAddress,
          peerCertificate: peerCertificate(c),
        },
        requirement,
      );
      // A cached token is decided in the same tick: no await before next().
      const result = outcome instanceof Promise ? await outcome : outcome;
      if (!result.ok) return toResponse(result.answer);
      c.set('auth', result.auth);
      await next();
    });
  };

  return { resourceServer: rs, metadata, requireAuth };
}
