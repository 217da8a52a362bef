import { guardRequest, nodeRequestHeaders, routeRequirement } from '@prmkit/core/adapter';
import { nodePeerCertificate } from '@prmkit/core/adapter';
import { unreadNodeStream } from '@prmkit/core/adapter';
import { writeNodeResponse, type GuardResult } from '@prmkit/core/adapter';
import { toResourceServers } from '@prmkit/core/node';
import type { AnyResourceServerInput, ResourceServerSetInput } from '@prmkit/core/adapter';
import type {
  AuthInfo,
  RequireAuthOptions,
  ResourceServer,
  ResourceServerInput,
  ResourceServerSet,
} from '@prmkit/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified access token, set by `requireAuth()`. */
      auth?: AuthInfo;
    }
  }
}

/**
 * Options of {@link prmkit}.
 *
 * @example
 * ```ts
 * prmkit(config, { bodyLimit: 4 * 1024 * 1024 });
 * ```
 * @see RFC 9728 §3
 */
export interface PrmkitExpressOptions {
  /** Largest JSON body `requireAuth()` reads itself when no body parser ran first. Default 1 MiB. */
  readonly bodyLimit?: number;
}

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
export interface PrmkitExpress<Target extends ResourceServer | ResourceServerSet = ResourceServer> {
  /** The resource server (or set) every handler here uses. */
  readonly resourceServer: Target;
  /**
   * Serves the RFC 9728 metadata at `resourceServer.metadataPaths`. Those paths are
   * absolute (they come from the configured `resource`), so mount this at the app root:
   * `app.use(prm.metadata)`, never `app.use('/api', prm.metadata)`.
   */
  readonly metadata: RequestHandler;
  /**
   * Middleware that admits only requests with a valid token holding every required scope.
   * With several resources, the one owning the request path decides (see `ResourceServerSet`).
   * @throws PrmkitConfigError at once when a scope is not an RFC 6749 §3.3 token.
   */
  requireAuth(options?: RequireAuthOptions): RequestHandler;
}

type ExpressRequest = Request & { _body?: boolean };

/**
 * True when no body parser has read the body: `req.body` is unset, or is the empty object
 * body-parser 1.x (Express 4) assigns before it skips a request. Only a real parse sets
 * `req._body`, so that placeholder must not pass for an empty JSON-RPC message.
 */
function bodyUnparsed(req: ExpressRequest): boolean {
  const body: unknown = req.body;
  if (body === undefined) return true;
  if (req._body === true || typeof body !== 'object' || body === null) return false;
  return Object.getPrototypeOf(body) === Object.prototype && Object.keys(body).length === 0;
}

/** Shaped like body-parser's errors so the app's error handler treats them alike. */
function bodyError(reason: 'malformed' | 'too_large'): Error {
  const tooLarge = reason === 'too_large';
  return Object.assign(new Error(tooLarge ? 'request entity too large' : 'invalid JSON body'), {
    status: tooLarge ? 413 : 400,
    expose: true,
    type: tooLarge ? 'entity.too.large' : 'entity.parse.failed',
  });
}

/**
 * Protects Express routes with OAuth bearer tokens and serves the RFC 9728 metadata.
 * The resource server is created once, here, so a bad config throws at startup. Give an
 * array of configurations for several resources in one app (each at its own metadata URL,
 * each route decided by the resource that owns its path).
 *
 * @example
 * ```ts
 * const prm = prmkit({ resource: 'https://api.example.com/mcp', authorizationServers: ['https://auth.example.com'] });
 * app.use(prm.metadata);
 * app.post('/mcp', prm.requireAuth(), (req, res) => res.json({ sub: req.auth?.subject }));
 *
 * const gateway = prmkit([githubConfig, jiraConfig]); // https://gw.example.com/github/mcp, …/jira/mcp
 * app.use(gateway.metadata);
 * app.post('/github/mcp', gateway.requireAuth(), githubHandler);
 * ```
 * @see RFC 9728 §3 (metadata), §3.1 (one URL per resource), RFC 6750 §3 (challenges)
 */
export function prmkit(
  input: ResourceServerInput,
  options?: PrmkitExpressOptions,
): PrmkitExpress<ResourceServer>;
export function prmkit(
  input: ResourceServerSetInput,
  options?: PrmkitExpressOptions,
): PrmkitExpress<ResourceServerSet>;
export function prmkit(
  input: AnyResourceServerInput,
  options?: PrmkitExpressOptions,
): PrmkitExpress<ResourceServer | ResourceServerSet>;
export function prmkit(
  input: AnyResourceServerInput,
  options: PrmkitExpressOptions = {},
): PrmkitExpress<ResourceServer | ResourceServerSet> {
  const rs = toResourceServers(input);

  const metadata: RequestHandler = (req, res, next) => {
    const { method, originalUrl: url, headers } = req;
    const answer = rs.handleMetadataRequest({ method, url, headers });
    // 404: not a metadata location (the core decides, from the raw URL); the app goes on.
    if (answer.status === 404) next();
    else writeNodeResponse(res, answer);
  };

  const requireAuth = (authOptions?: RequireAuthOptions): RequestHandler => {
    const requirement = routeRequirement(authOptions, 'requireAuth()');
    return (req: ExpressRequest, res: Response, next: NextFunction): void => {
      const conclude = (result: GuardResult): void => {
        const { body } = result;
        if (body.read) {
          if (body.json.ok) req.body = body.json.value;
          req._body = true; // consumed: body parsers that run later (express.json()) skip it
        }
        if (!result.ok) return void writeNodeResponse(res, result.answer);
        req.auth = result.auth;
        next(body.read && !body.json.ok ? bodyError(body.json.reason) : undefined);
      };
      const unparsed = bodyUnparsed(req);
      const outcome = guardRequest(
        rs,
        {
          method: req.method,
          url: req.originalUrl,
          // req.headers drops a repeated Authorization header; nodeRequestHeaders keeps it.
          headers: nodeRequestHeaders(req.headers, req.rawHeaders),
          parsedBody: unparsed ? undefined : (req.body as unknown),
          unreadBody: unparsed ? unreadNodeStream(req) : undefined,
          bodyLimit: options.bodyLimit,
          clientAddress: req.ip,
          // The socket itself (never X-Forwarded-For): mTLS trusted proxies, the TLS certificate.
          peerAddress: req.socket.remoteAddress,
          peerCertificate: nodePeerCertificate(req.socket),
        },
        requirement,
      );
      // A cached token is decided in the same tick: no promise, as cheap as an empty middleware.
      if (outcome instanceof Promise) outcome.then(conclude, next);
      else conclude(outcome);
    };
  };

  return { resourceServer: rs, metadata, requireAuth };
}
