import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { PrmkitConfigError } from '@prmkit/core';
import type { AuthInfo, RequireAuthOptions, ResourceServer } from '@prmkit/core';
import type { AnyResourceServerInput } from '@prmkit/core/adapter';
import type { ResourceServerSet } from '@prmkit/core';
import { guardRequest, nodeRequestHeaders, routeRequirement } from '@prmkit/core/adapter';
import { nodePeerCertificate } from '@prmkit/core/adapter';
import { sendReply, withDefaultLogger } from '@prmkit/core/adapter';
import type { GuardResult, RouteRequirement } from '@prmkit/core/adapter';
import { toResourceServers } from '@prmkit/core/node';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { preParsingHookHandler } from 'fastify';
import fp from 'fastify-plugin';

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
  /**
   * The resource server configuration, or a resource server built elsewhere; or several
   * (an array of configurations, a `ResourceServerSet`): each served at its own metadata
   * URL, each route decided by the resource that owns its path.
   */
  readonly resourceServer: AnyResourceServerInput;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified access token on protected routes; `null` elsewhere. */
    auth: AuthInfo | null;
  }
  interface FastifyInstance {
    /** The resource server (or, given several, the `ResourceServerSet`) the plugin uses. */
    prmkit: ResourceServer | ResourceServerSet;
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
const GUARD = Symbol('prmkit.requireAuth');
const WRONG_HOOKS = ['onRequest', 'preValidation', 'preHandler', 'preSerialization'] as const;
const WRONG_HOOK = 'requireAuth() is a preParsing hook: use { preParsing: app.requireAuth() }';
const misuse = (path: string) => new PrmkitConfigError([{ path, message: WRONG_HOOK }]);

// async, so a bad config rejects `register()` instead of escaping as an unhandled error.
const plugin: FastifyPluginAsync<PrmkitFastifyOptions> = async (fastify, options) => {
  const rs = toResourceServers(withDefaultLogger(options.resourceServer, fastify.log));
  fastify.decorate<ResourceServer | ResourceServerSet>('prmkit', rs);
  fastify.decorateRequest('auth', null);
  const metadata = ({ method, url, headers }: FastifyRequest, reply: FastifyReply): void =>
    void sendReply(reply, rs.handleMetadataRequest({ method, url, headers }));
  for (const url of rs.metadataPaths)
    fastify.route({ method: METADATA_METHODS, url, handler: metadata });

  // The decision runs before body parsing, so a malformed body or an unexpected content
  // type gets the same answer as on every other adapter instead of Fastify's 400/415 first.
  const guard = (requirement: RouteRequirement): preParsingHookHandler =>
    Object.assign(
      function prmkitRequireAuth(
        request: FastifyRequest,
        reply: FastifyReply,
        payload: Readable,
        next: (error?: Error | null, payload?: Readable) => void,
      ) {
        if (typeof next !== 'function') throw misuse('requireAuth()'); // not run as preParsing
        const conclude = (result: GuardResult): void => {
          const { body } = result;
          if (!result.ok) return void sendReply(reply, result.answer); // next() not called: ends here
          request.auth = result.auth;
          if (!body.read) return next(null, payload);
          if (!body.raw.complete)
            return next(Object.assign(new Error('Body too large'), { statusCode: 413 }));
          const replay = new PassThrough(); // the read bytes, for Fastify to parse (400 if malformed)
          next(null, Object.assign(replay, { receivedEncodedLength: body.raw.bytes.byteLength }));
          replay.end(body.raw.bytes);
        };
        const outcome = guardRequest(
          rs,
          {
            method: request.method,
            url: request.url,
            // request.headers drops a repeated Authorization header; nodeRequestHeaders keeps it.
            headers: nodeRequestHeaders(request.raw.headers, request.raw.rawHeaders),
            unreadBody: payload,
            bodyLimit: () => request.routeOptions.bodyLimit, // only for a body: built per access
            clientAddress: request.ip,
            // The socket itself (never X-Forwarded-For): mTLS trusted proxies, the TLS certificate.
            peerAddress: request.raw.socket.remoteAddress,
            peerCertificate: nodePeerCertificate(request.raw.socket),
            logger: request.log,
          },
          requirement,
        );
        if (outcome instanceof Promise) outcome.then(conclude, (error: Error) => next(error));
        else conclude(outcome);
      },
      { [GUARD]: true },
    );

  fastify.decorate('requireAuth', (authOptions?: RequireAuthOptions) =>
    guard(routeRequirement(authOptions, 'requireAuth()')),
  );
  fastify.addHook('onRoute', (route) => {
    for (const hook of WRONG_HOOKS) {
      const hooks = [route[hook] as unknown].flat() as ({ [GUARD]?: true } | undefined)[];
      if (hooks.some((h) => h?.[GUARD])) throw misuse(`${route.method} ${route.url}: ${hook}`);
    }
    const config = route.config as { prmkit?: RequireAuthOptions } | undefined;
    if (!config?.prmkit) return;
    const own = guard(routeRequirement(config.prmkit, `${route.url}: config.prmkit`));
    route.preParsing = [own, ...[route.preParsing ?? []].flat()];
    guarded.add(config.prmkit); // Fastify copies `config` per route
  });
  // A route declared before the plugin finished loading (`register()` not awaited) never
  // met the onRoute hook above; this root hook guards it anyway: never served unguarded.
  const guarded = new WeakSet<object>();
  const late = new WeakMap<object, preParsingHookHandler>();
  fastify.addHook('preParsing', function prmkitLateRoutes(request, reply, payload, next) {
    const own = (request.routeOptions.config as { prmkit?: RequireAuthOptions }).prmkit;
    if (!own || guarded.has(own)) return next(null, payload);
    let hook = late.get(own);
    if (!hook) late.set(own, (hook = guard(routeRequirement(own, 'config.prmkit'))));
    hook.call(this, request, reply, payload, next);
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
