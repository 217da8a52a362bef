import {
  carriesJsonRpcBody,
  nodeRequestHeaders,
  readBodyCapped,
  toResourceServer,
} from '@prmkit/core';
import type { AuthInfo, HeadersLike, ResourceServer, ResourceServerInput } from '@prmkit/core';
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
  /**
   * Largest JSON body (bytes) read to find the MCP tool being called. A larger one is not
   * inspected, so it needs every tool scope. Default 1 MiB.
   */
  readonly bodyLimit?: number;
}

/** Builds a Response from a core answer, verbatim; null-body statuses get no body. The core's headers are frozen and @hono/node-server mutates the object it gets, hence the copy. */
const respond = (answer: {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}): Response =>
  new Response(answer.body === '' ? null : answer.body, {
    status: answer.status,
    headers: { ...answer.headers },
  });

/**
 * The parsed JSON-RPC body of a POST for per-tool scopes; undefined when absent, not JSON,
 * malformed or over `limit` bytes (the core then requires every tool scope: fail closed).
 * It reads a clone, so `c.req.raw` stays unread for the handler (the MCP SDK's web handler
 * takes the raw Request), and stops reading past the limit.
 */
async function jsonBodyOf(c: Context, limit: number): Promise<unknown> {
  if (!carriesJsonRpcBody(c.req.method, c.req.header('content-type'))) return undefined;
  if (Number(c.req.header('content-length') ?? 0) > limit) return undefined;
  const bytes = await readBodyCapped(c.req.raw.clone().body, limit);
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** Node's request, when Hono runs on @hono/node-server (it passes it as `c.env.incoming`). */
interface NodeIncoming {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly rawHeaders: readonly string[];
}

/**
 * The request headers for the core. On @hono/node-server, `c.req.raw.headers` builds a full
 * Web `Request` from Node's message on first access, which costs more than the whole
 * authorization decision; its `c.env.incoming` already has the headers, so read those
 * (duck-typed: no Node import, and every other runtime takes the Web path).
 */
function requestHeaders(c: Context): HeadersLike {
  const incoming = (c.env as { incoming?: Partial<NodeIncoming> } | undefined)?.incoming;
  if (incoming?.headers && Array.isArray(incoming.rawHeaders)) {
    return nodeRequestHeaders(incoming.headers, incoming.rawHeaders);
  }
  return c.req.raw.headers;
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
export function prmkit(input: ResourceServerInput, options: PrmkitHonoOptions = {}): PrmkitHono {
  const rs = toResourceServer(input);
  const bodyLimit = options.bodyLimit ?? 1_048_576;

  const metadata: MiddlewareHandler = async (c, next) => {
    const answer = rs.handleMetadataRequest({
      method: c.req.method,
      url: c.req.url, // raw (percent-encoded), as the metadata locations are
      // Read only when the location matches: most requests through here are not metadata.
      get headers() {
        return requestHeaders(c);
      },
    });
    // 404: not a metadata location (the core decides); the app goes on.
    return answer.status === 404 ? next() : respond(answer);
  };

  const requireAuth = (options: RequireAuthOptions = {}): MiddlewareHandler<PrmkitEnv> =>
    createMiddleware<PrmkitEnv>(async (c, next) => {
      // Only a POST carries JSON-RPC; other methods skip the body read (and its await).
      const body = c.req.method === 'POST' ? await jsonBodyOf(c, bodyLimit) : undefined;
      const decided = rs.authorizeNow(
        { method: c.req.method, url: c.req.url, headers: requestHeaders(c), body },
        options,
      );
      // A cached token is decided in the same tick: no await before next().
      const result = decided instanceof Promise ? await decided : decided;
      if (!result.ok) return respond(result);
      c.set('auth', result.auth);
      await next();
    });

  return { resourceServer: rs, metadata, requireAuth };
}
