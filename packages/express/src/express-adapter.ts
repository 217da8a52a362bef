import { nodeRequestHeaders, toResourceServer } from '@prmkit/core';
import type { AuthInfo, ResourceServer, ResourceServerInput } from '@prmkit/core';
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

const pathOf = (url: string): string => url.split('?', 1)[0] ?? url;

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
  const paths = new Set(rs.metadataPaths);
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;

  const metadata: RequestHandler = (req, res, next) => {
    if (!paths.has(pathOf(req.originalUrl))) return next();
    const answer = rs.handleMetadataRequest({
      method: req.method,
      url: req.originalUrl,
      headers: req.headers,
    });
    writeVerbatim(res, answer);
  };

  const requireAuth =
    (authorizeOptions: RequireAuthOptions = {}): RequestHandler =>
    (req: Request, res: Response, next: NextFunction): void => {
      guard(req, res, authorizeOptions).then((outcome) => {
        if (outcome !== false) next(outcome);
      }, next);
    };

  // Resolves `false` when the response was written, `undefined` to continue, or an error for Express.
  const guard = async (
    req: Request,
    res: Response,
    authorizeOptions: RequireAuthOptions,
  ): Promise<unknown> => {
    let parseFailure: 'malformed' | 'too_large' | undefined;
    // What the core inspects: undefined (every tool scope applies) unless a body was parsed.
    let body: unknown = req.body;
    if (bodyUnparsed(req)) {
      body = undefined;
      // A stream someone else already drained would never emit 'end' again.
      if (isJsonPost(req) && !req.readableEnded) {
        const parsed = await readJsonBody(req, bodyLimit);
        if (parsed.ok) req.body = body = parsed.value;
        else parseFailure = parsed.reason;
        // The stream is consumed: tell body parsers (express.json()) that run later to skip it.
        (req as { _body?: boolean })._body = true;
      }
    }
    // req.headers drops a repeated Authorization header; nodeRequestHeaders restores it.
    const result = await rs.authorize(
      {
        method: req.method,
        url: req.originalUrl,
        headers: nodeRequestHeaders(req.headers, req.rawHeaders),
        body,
      },
      authorizeOptions,
    );
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
