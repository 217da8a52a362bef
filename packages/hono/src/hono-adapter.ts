import { toResourceServer } from '@prmkit/core';
import type { AuthInfo, ResourceServer, ResourceServerInput } from '@prmkit/core';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';

/**
 * Context variables set by `requireAuth()`: `c.get('auth')`.
 *
 * @example
 * ```ts
 * type Env = { Variables: PrmkitVariables & { requestId: string } };
 * ```
 * @see RFC 9068 §2.2 (the claims behind AuthInfo)
 */
export interface PrmkitVariables {
  /** The verified access token. */
  auth: AuthInfo;
}

/**
 * Hono environment of protected routes; use it to type your own app.
 *
 * @example
 * ```ts
 * const app = new Hono<PrmkitEnv>();
 * ```
 * @see RFC 9068 §2.2
 */
export interface PrmkitEnv {
  Variables: PrmkitVariables;
}

/**
 * Options of `requireAuth()`.
 *
 * @example
 * ```ts
 * app.get('/admin', prm.requireAuth({ scopes: ['mcp:admin'] }), handler);
 * ```
 * @see RFC 6750 §3.1 (insufficient_scope)
 */
export interface RequireAuthOptions {
  /** Scopes this route needs on top of the config's `requiredScopes`. */
  readonly scopes?: readonly string[];
}

/**
 * What {@link prmkit} returns.
 *
 * @example
 * ```ts
 * const { metadata, requireAuth } = prmkit(config);
 * ```
 * @see RFC 9728 §3, RFC 6750 §3
 */
export interface PrmkitHono {
  /** The resource server every handler here uses. */
  readonly resourceServer: ResourceServer;
  /**
   * Serves the RFC 9728 metadata at `resourceServer.metadataPaths` and passes every other
   * request on. The paths are absolute (from the configured `resource`): register it on
   * the root app (`app.use(prm.metadata)`), not under a `basePath` or `route` prefix.
   */
  readonly metadata: MiddlewareHandler;
  /** Middleware that admits only requests with a valid token holding every required scope. */
  requireAuth(options?: RequireAuthOptions): MiddlewareHandler<PrmkitEnv>;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Builds a Response from a core answer, verbatim; null-body statuses get no body. The core's headers are frozen and @hono/node-server mutates the object it gets, hence the copy. */
const respond = (answer: { status: number; headers: Readonly<Record<string, string>>; body: string }): Response =>
  new Response(answer.body === '' ? null : answer.body, { status: answer.status, headers: { ...answer.headers } });

/** The parsed JSON-RPC body of a POST for per-tool scopes; undefined when absent or not JSON. */
async function jsonBodyOf(c: Context): Promise<unknown> {
  if (c.req.method !== 'POST' || !JSON_TYPE.test(c.req.header('content-type') ?? '')) return undefined;
  try {
    // Hono caches the body, so the route handler can still call c.req.json().
    return await c.req.json<unknown>();
  } catch {
    return undefined; // the core then requires every tool scope (fail closed)
  }
}

/**
 * Protects Hono routes with OAuth bearer tokens and serves the RFC 9728 metadata. Uses
 * only Web APIs, so it runs wherever Hono runs. The resource server is created once, here.
 *
 * @example
 * ```ts
 * const prm = prmkit({ resource: 'https://api.example.com/mcp', authorizationServers: ['https://auth.example.com'] });
 * const app = new Hono<PrmkitEnv>();
 * app.use(prm.metadata);
 * app.post('/mcp', prm.requireAuth(), (c) => c.json({ sub: c.get('auth').subject }));
 * ```
 * @see RFC 9728 §3 (metadata), RFC 6750 §3 (challenges)
 */
export function prmkit(input: ResourceServerInput): PrmkitHono {
  const rs = toResourceServer(input);
  const paths = new Set(rs.metadataPaths);

  const metadata: MiddlewareHandler = async (c, next) => {
    if (!paths.has(c.req.path)) return next();
    return respond(rs.handleMetadataRequest({ method: c.req.method, url: c.req.url, headers: c.req.raw.headers }));
  };

  const requireAuth = (options: RequireAuthOptions = {}): MiddlewareHandler<PrmkitEnv> =>
    createMiddleware<PrmkitEnv>(async (c, next) => {
      const body = await jsonBodyOf(c);
      const result = await rs.authorize({ method: c.req.method, url: c.req.url, headers: c.req.raw.headers, body }, options);
      if (!result.ok) return respond(result);
      c.set('auth', result.auth);
      await next();
    });

  return { resourceServer: rs, metadata, requireAuth };
}
