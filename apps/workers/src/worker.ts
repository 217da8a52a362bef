import { type ExecutionContext, Hono } from 'hono';
import { createWorkersKvStore, type KvNamespaceLike } from '@prmkit/core/store';
import { prmkit, type PrmkitEnv } from '@prmkit/hono';
import { withPrmkit, type FetchHandler } from '@prmkit/web';

/** The Worker's bindings (wrangler.toml `[vars]` and `[[kv_namespaces]]`). */
export interface WorkerBindings {
  /** Public origin of the Worker, e.g. `https://mcp.example.workers.dev`. */
  readonly PUBLIC_ORIGIN: string;
  /** Issuer identifier of the authorization server. */
  readonly PRMKIT_ISSUER: string;
  /** Its JWKS (verifies the JWT access tokens of `/mcp`). */
  readonly PRMKIT_JWKS_URI: string;
  /** RFC 7662 endpoint for the opaque tokens of `/opaque/mcp`. */
  readonly PRMKIT_INTROSPECTION_ENDPOINT: string;
  readonly PRMKIT_INTROSPECTION_CLIENT_ID: string;
  readonly PRMKIT_INTROSPECTION_CLIENT_SECRET: string;
  /** Workers KV: the introspection cache every isolate and location shares. */
  readonly PRMKIT_KV: KvNamespaceLike;
}

type App = Hono<{ Bindings: WorkerBindings } & PrmkitEnv>;

/**
 * Built once per isolate, on its first request (bindings arrive with the request): the
 * resource servers, their JWKS cache and their verified-token caches then live as long as
 * the isolate does, so the JWKS is fetched once, not per request.
 */
function buildApp(env: WorkerBindings): App {
  const allowHttp = env.PRMKIT_JWKS_URI.startsWith('http://') ? ('loopback' as const) : undefined;
  const jwt = prmkit({
    resource: `${env.PUBLIC_ORIGIN}/mcp`,
    authorizationServers: [env.PRMKIT_ISSUER],
    requiredScopes: ['mcp:tools'],
    jwt: { jwksUri: env.PRMKIT_JWKS_URI },
    ...(allowHttp ? { allowHttp } : {}),
  });
  const opaque = prmkit({
    resource: `${env.PUBLIC_ORIGIN}/opaque/mcp`,
    authorizationServers: [env.PRMKIT_ISSUER],
    requiredScopes: ['mcp:tools'],
    introspection: {
      endpoint: env.PRMKIT_INTROSPECTION_ENDPOINT,
      clientAuth: {
        method: 'client_secret_basic',
        clientId: env.PRMKIT_INTROSPECTION_CLIENT_ID,
        clientSecret: env.PRMKIT_INTROSPECTION_CLIENT_SECRET,
      },
      cacheMaxAge: 60,
    },
    store: createWorkersKvStore(env.PRMKIT_KV),
    ...(allowHttp ? { allowHttp } : {}),
  });
  const app: App = new Hono();
  app.use(jwt.metadata);
  app.use(opaque.metadata);
  app.post('/mcp', jwt.requireAuth(), (c) => c.json({ subject: c.get('auth').subject }));
  app.post('/opaque/mcp', opaque.requireAuth(), (c) => c.json({ subject: c.get('auth').subject }));
  return app;
}

type WebHandler = FetchHandler<[WorkerBindings, ExecutionContext]>;

/**
 * `/web/mcp` through @prmkit/web, no framework: the Worker's own `fetch(request, env, ctx)`
 * wrapped by `withPrmkit`, which also serves `/.well-known/oauth-protected-resource/web/mcp`.
 * Tool scopes make the guard read a clone of the body; the handler reads the original.
 */
function buildWebHandler(env: WorkerBindings): WebHandler {
  const allowHttp = env.PRMKIT_JWKS_URI.startsWith('http://') ? ('loopback' as const) : undefined;
  return withPrmkit(
    async (request, auth, bindings: WorkerBindings, _ctx: ExecutionContext) =>
      Response.json({
        subject: auth.subject,
        origin: bindings.PUBLIC_ORIGIN,
        body: request.method === 'POST' ? await request.text() : null,
      }),
    {
      resource: `${env.PUBLIC_ORIGIN}/web/mcp`,
      authorizationServers: [env.PRMKIT_ISSUER],
      requiredScopes: ['mcp:tools'],
      scopesSupported: ['mcp:tools', 'mcp:admin'],
      toolScopes: { admin_stats: ['mcp:admin'] },
      jwt: { jwksUri: env.PRMKIT_JWKS_URI },
      ...(allowHttp ? { allowHttp } : {}),
    },
    { clientAddress: (request) => request.headers.get('cf-connecting-ip') ?? undefined },
  );
}

let app: App | undefined;
let web: WebHandler | undefined;
const WEB_PATHS = new Set(['/web/mcp', '/.well-known/oauth-protected-resource/web/mcp']);

export default {
  fetch(
    request: Request,
    env: WorkerBindings,
    ctx: ExecutionContext,
  ): Response | Promise<Response> {
    if (WEB_PATHS.has(new URL(request.url).pathname)) {
      web ??= buildWebHandler(env);
      return web(request, env, ctx);
    }
    app ??= buildApp(env);
    return app.fetch(request, env, ctx);
  },
};
