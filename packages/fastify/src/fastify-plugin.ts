import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { carriesJsonRpcBody, nodeRequestHeaders, toResourceServer } from '@prmkit/core';
import type { AuthInfo, AuthorizeResult, ResourceServer, ResourceServerInput } from '@prmkit/core';
import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  preParsingHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';

/**
 * Options of `requireAuth()` and of a route's `config.prmkit`.
 *
 * @example
 * ```ts
 * app.get('/admin', { config: { prmkit: { scopes: ['mcp:admin'] } } }, handler);
 * ```
 * @see RFC 6750 §3.1 (insufficient_scope)
 */
export interface RequireAuthOptions {
  /** Scopes this route needs on top of the config's `requiredScopes`. */
  readonly scopes?: readonly string[];
}

/**
 * Options of the plugin.
 *
 * @example
 * ```ts
 * await app.register(prmkitPlugin, { resourceServer: config });
 * ```
 * @see RFC 9728 §2
 */
export interface PrmkitFastifyOptions {
  /** The resource server configuration, or a resource server built elsewhere. */
  readonly resourceServer: ResourceServerInput;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified access token on protected routes; `null` elsewhere. */
    auth: AuthInfo | null;
  }
  interface FastifyInstance {
    /** The resource server the plugin uses. */
    prmkit: ResourceServer;
    /** A `preParsing` hook that admits only requests with a valid token holding every required scope. */
    requireAuth(options?: RequireAuthOptions): preParsingHookHandler;
  }
  interface FastifyContextConfig {
    /** Protects the route, as `requireAuth(options)` would. */
    prmkit?: RequireAuthOptions;
  }
}

// Every method, so the core answers 405 (with Allow) rather than Fastify's 404.
const METADATA_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'];

function send(
  reply: FastifyReply,
  answer: { status: number; headers: Readonly<Record<string, string>>; body: string },
): void {
  // A Buffer, because Fastify appends '; charset=utf-8' to the content type of a string.
  void reply
    .code(answer.status)
    .headers(answer.headers)
    .send(answer.body === '' ? undefined : Buffer.from(answer.body));
}

/** Buffers a JSON body (within the route's bodyLimit) so the core sees it before Fastify parses it. */
function bufferBody(payload: Readable, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        payload.removeAllListeners('data');
        payload.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    payload.once('end', () => resolve(Buffer.concat(chunks)));
    payload.once('error', reject);
  });
}

// async, so a bad config rejects `register()` instead of escaping as an unhandled error.
const plugin: FastifyPluginAsync<PrmkitFastifyOptions> = async (fastify, options) => {
  const rs = toResourceServer(options.resourceServer);
  fastify.decorate('prmkit', rs);
  fastify.decorateRequest('auth', null);

  for (const url of rs.metadataPaths) {
    fastify.route({
      method: METADATA_METHODS,
      url,
      handler: (request, reply) => {
        send(
          reply,
          rs.handleMetadataRequest({
            method: request.method,
            url: request.url,
            headers: request.headers,
          }),
        );
      },
    });
  }

  // The decision runs before body parsing, so a malformed body or an unexpected content
  // type gets the same answer as on every other adapter instead of Fastify's 400/415 first.
  const requireAuth = (authOptions: RequireAuthOptions = {}): preParsingHookHandler =>
    function prmkitRequireAuth(
      request: FastifyRequest,
      reply: FastifyReply,
      payload: Readable,
      next,
    ) {
      // request.headers drops a repeated Authorization header; nodeRequestHeaders restores it.
      const headers = nodeRequestHeaders(request.raw.headers, request.raw.rawHeaders);
      const isJson = carriesJsonRpcBody(request.method, request.headers['content-type']);
      if (!isJson) {
        // No body to inspect: decide now; a cached token needs no promise at all.
        const decided = rs.authorizeNow(
          { method: request.method, url: request.url, headers },
          authOptions,
        );
        const conclude = (result: AuthorizeResult): void => {
          if (!result.ok) return send(reply, result); // next() not called: the request ends here
          request.auth = result.auth;
          next(null, payload);
        };
        if (decided instanceof Promise) {
          decided.then(conclude, (error: unknown) => next(error as Error));
        } else conclude(decided);
        return;
      }
      bufferBody(payload, request.routeOptions.bodyLimit ?? 1048576)
        .then(async (raw) => {
          let body: unknown;
          if (raw !== undefined) {
            try {
              body = JSON.parse(raw.toString('utf8')) as unknown;
            } catch {
              body = undefined; // fail closed in the core; Fastify's parser answers 400 later
            }
          }
          const result = await rs.authorize(
            { method: request.method, url: request.url, headers, body },
            authOptions,
          );
          if (!result.ok) return send(reply, result); // next() is not called: the request ends here
          request.auth = result.auth;
          if (raw === undefined)
            return next(Object.assign(new Error('Request body is too large'), { statusCode: 413 }));
          const replay = Object.assign(new PassThrough(), { receivedEncodedLength: raw.length });
          replay.end(raw);
          next(null, replay);
        })
        .catch((error: unknown) => next(error as Error));
    };

  fastify.decorate('requireAuth', requireAuth);
  fastify.addHook('onRoute', (route) => {
    const config = route.config as { prmkit?: RequireAuthOptions } | undefined;
    if (!config?.prmkit) return;
    const existing =
      route.preParsing === undefined
        ? []
        : Array.isArray(route.preParsing)
          ? route.preParsing
          : [route.preParsing];
    route.preParsing = [requireAuth(config.prmkit), ...existing];
  });
};

/**
 * Fastify plugin: serves the RFC 9728 metadata, decorates `request.auth`, and protects
 * routes through `fastify.requireAuth({ scopes })` or a route's `config: { prmkit: { scopes } }`.
 * The resource server is created once, at registration.
 *
 * @example
 * ```ts
 * await app.register(prmkitPlugin, { resourceServer: { resource: 'https://api.example.com/mcp', authorizationServers: ['https://auth.example.com'] } });
 * app.post('/mcp', { preParsing: app.requireAuth() }, async (req) => ({ sub: req.auth?.subject }));
 * app.get('/admin', { config: { prmkit: { scopes: ['admin'] } } }, async (req) => req.auth?.scopes);
 * ```
 * @see RFC 9728 §3 (metadata), RFC 6750 §3 (challenges)
 */
export const prmkitPlugin = fp(plugin, { name: '@prmkit/fastify', fastify: '5.x' });
