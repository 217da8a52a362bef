import { nodeRequestHeaders, toResourceServer } from '@prmkit/core';
import type { AuthInfo, AuthorizeResult, ResourceServer, ResourceServerInput } from '@prmkit/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { bodyUnparsed, isJsonPost, readJsonBody } from './json-body.js';

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
 * What {@link prmkit} returns.
 *
 * @example
 * ```ts
 * const { metadata, requireAuth } = prmkit(config);
 * ```
 * @see RFC 9728 §3, RFC 6750 §3
 */
export interface PrmkitExpress {
  /** The resource server every handler here uses. */
  readonly resourceServer: ResourceServer;
  /**
   * Serves the RFC 9728 metadata at `resourceServer.metadataPaths`. Those paths are
   * absolute (they come from the configured `resource`), so mount this at the app root:
   * `app.use(prm.metadata)`, never `app.use('/api', prm.metadata)`.
   */
  readonly metadata: RequestHandler;
  /** Middleware that admits only requests with a valid token holding every required scope. */
  requireAuth(options?: RequireAuthOptions): RequestHandler;
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

/** Writes a core answer byte for byte (`res.set` would rewrite `content-type`). */
function writeVerbatim(
  res: Response,
  answer: { status: number; headers: Readonly<Record<string, string>>; body: string },
): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.end(answer.body);
}

/**
 * Protects Express routes with OAuth bearer tokens and serves the RFC 9728 metadata.
 * The resource server is created once, here, so a bad config throws at startup.
 *
 * @example
 * ```ts
 * const prm = prmkit({ resource: 'https://api.example.com/mcp', authorizationServers: ['https://auth.example.com'] });
 * app.use(prm.metadata);
 * app.post('/mcp', prm.requireAuth(), (req, res) => res.json({ sub: req.auth?.subject }));
 * ```
 * @see RFC 9728 §3 (metadata), RFC 6750 §3 (challenges)
 */
export function prmkit(
  input: ResourceServerInput,
  options: PrmkitExpressOptions = {},
): PrmkitExpress {
  const rs = toResourceServer(input);
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;

  const metadata: RequestHandler = (req, res, next) => {
    const answer = rs.handleMetadataRequest({
      method: req.method,
      url: req.originalUrl,
      headers: req.headers,
    });
    // 404: not a metadata location (the core decides, from the raw URL); the app goes on.
    if (answer.status === 404) return next();
    writeVerbatim(res, answer);
  };

  const requireAuth =
    (authorizeOptions: RequireAuthOptions = {}): RequestHandler =>
    (req: Request, res: Response, next: NextFunction): void => {
      // A cached token is decided in the same tick: no promise, as cheap as an empty middleware.
      const outcome = guard(req, res, authorizeOptions);
      if (outcome instanceof Promise) {
        outcome.then((settled) => {
          if (settled !== false) next(settled);
        }, next);
      } else if (outcome !== false) next(outcome);
    };

  // `false` when the response was written, `undefined` to continue, or an error for Express.
  const guard = (req: Request, res: Response, authorizeOptions: RequireAuthOptions): unknown => {
    // What the core inspects: undefined (every tool scope applies) unless a body was parsed.
    if (!bodyUnparsed(req)) return decide(req, res, authorizeOptions, req.body, undefined);
    // A stream someone else already drained would never emit 'end' again.
    if (!isJsonPost(req) || req.readableEnded) {
      return decide(req, res, authorizeOptions, undefined, undefined);
    }
    return readJsonBody(req, bodyLimit).then((parsed) => {
      if (parsed.ok) req.body = parsed.value;
      // The stream is consumed: tell body parsers (express.json()) that run later to skip it.
      (req as { _body?: boolean })._body = true;
      return parsed.ok
        ? decide(req, res, authorizeOptions, parsed.value, undefined)
        : decide(req, res, authorizeOptions, undefined, parsed.reason);
    });
  };

  const decide = (
    req: Request,
    res: Response,
    authorizeOptions: RequireAuthOptions,
    body: unknown,
    parseFailure: 'malformed' | 'too_large' | undefined,
  ): unknown => {
    // req.headers drops a repeated Authorization header; nodeRequestHeaders restores it.
    const decided = rs.authorizeNow(
      {
        method: req.method,
        url: req.originalUrl,
        headers: nodeRequestHeaders(req.headers, req.rawHeaders),
        body,
      },
      authorizeOptions,
    );
    return decided instanceof Promise
      ? decided.then((result) => conclude(req, res, result, parseFailure))
      : conclude(req, res, decided, parseFailure);
  };

  const conclude = (
    req: Request,
    res: Response,
    result: AuthorizeResult,
    parseFailure: 'malformed' | 'too_large' | undefined,
  ): unknown => {
    if (!result.ok) {
      writeVerbatim(res, result);
      return false;
    }
    req.auth = result.auth;
    if (parseFailure === undefined) return undefined;
    // Shaped like body-parser's errors so the app's error handler treats them alike.
    return Object.assign(
      new Error(parseFailure === 'too_large' ? 'request entity too large' : 'invalid JSON body'),
      {
        status: parseFailure === 'too_large' ? 413 : 400,
        expose: true,
        type: parseFailure === 'too_large' ? 'entity.too.large' : 'entity.parse.failed',
      },
    );
  };

  return { resourceServer: rs, metadata, requireAuth };
}
