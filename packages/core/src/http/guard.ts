import type { PrmkitLogger } from '../model/logger.js';
import type { AuthorizeFailure, AuthorizeResult } from '../model/authorize-types.js';
import type { HeaderDecision } from '../model/authorize-types.js';
import { type BodySource, type BoundedRead, drainBody, readBounded } from './body.js';
import { headerValue } from '../util/headers.js';
import { decodeJsonBody, type JsonBody } from './json-body.js';
import { internalsOf, type ResourceServer } from '../server/resource-server.js';
import { isResourceServerSet, type ResourceServerSet } from '../server/resource-server-set.js';
import type { RouteRequirement } from './route-requirement.js';
import type { AuthInfo } from '../model/types.js';
import type { HeadersLike } from '../util/headers.js';
import type { PeerCertificateSource } from '../model/client-certificate.js';

/** What `guardRequest` drives: one resource server's internals, or a set (which picks one). */
type GuardTarget = Pick<
  ResourceServerSet,
  'authorize' | 'authorizeNow' | 'needsBody' | 'authorizeByHeaders'
>;

/** One request as an adapter hands it to {@link guardRequest}. */
export interface GuardRequest {
  readonly method: string;
  /** The URL as received (path and query, or absolute). */
  readonly url: string;
  readonly headers: HeadersLike;
  /** A body the framework already parsed; `undefined` when none was. */
  readonly parsedBody?: unknown;
  /**
   * The body, still unread, when no parser ran. Read (up to `bodyLimit`) only when the
   * decision needs it (`ResourceServer.needsBody`); otherwise left untouched. When the MCP
   * headers (`Mcp-Method`, `Mcp-Name`) decide, it is read only if they admit the request, to
   * check the body agrees before the handler runs. A function is called only when the body
   * is read (to make a body lazily: Hono clones the request).
   */
  readonly unreadBody?: BodySource | (() => BodySource | undefined);
  /**
   * Largest body read from `unreadBody`. Default 1 MiB. A function is called only when a
   * body is read (Fastify builds the route's options anew on each access). Pass a value or
   * a function, never a getter: an accessor in a per-request object literal gives each
   * object its own hidden class, which V8 keeps in old space (measured: major GCs, and the
   * cached-token path at 0.6 of bare Fastify).
   */
  readonly bodyLimit?: number | (() => number);
  /** The client's address as the framework sees it (failure rate limiting). */
  readonly clientAddress?: string | undefined;
  /** The socket's peer address, for `mtls.trustedProxies` (see `RequestLike.peerAddress`). */
  readonly peerAddress?: string | undefined;
  /** The TLS client certificate, or a reader of it (see `RequestLike.peerCertificate`). */
  readonly peerCertificate?: PeerCertificateSource | undefined;
  /** The framework's logger of this request (see `RequestLike.logger`). */
  readonly logger?: PrmkitLogger | undefined;
}

/** What happened to `unreadBody`: untouched, or read (and decoded as JSON). */
export type GuardBody =
  | { readonly read: false }
  | { readonly read: true; readonly json: JsonBody; readonly raw: BoundedRead };

/**
 * The typed outcome of {@link guardRequest}: admit with `auth`, or write `answer` as-is.
 * Either way `body` says whether the stream was read, so the adapter can hand it on
 * (set the parsed value, replay the bytes).
 */
export type GuardResult =
  | { readonly ok: true; readonly auth: AuthInfo; readonly body: GuardBody }
  | { readonly ok: false; readonly answer: AuthorizeFailure; readonly body: GuardBody };

const UNREAD: GuardBody = Object.freeze({ read: false });
const DEFAULT_BODY_LIMIT = 1_048_576;

function conclude(result: AuthorizeResult, body: GuardBody): GuardResult {
  return result.ok ? { ok: true, auth: result.auth, body } : { ok: false, answer: result, body };
}

type ReadBody = Extract<GuardBody, { read: true }>;

/**
 * Reads a body (bounded) and decodes it. Too large: a Node request must still be read to its
 * end before the answer can go out; a Web stream is left alone (the fetch host discards it;
 * a tee'd clone would buffer the rest for its twin). A failing stream reads as malformed.
 */
function readBody(source: BodySource, limit: number): Promise<ReadBody> {
  return readBounded(source, limit).then(
    (raw): ReadBody => {
      if (!raw.complete && typeof (source as ReadableStream).getReader !== 'function') {
        void drainBody(raw);
      }
      const json: JsonBody = raw.complete
        ? decodeJsonBody(raw.bytes)
        : { ok: false, reason: 'too_large' };
      return { read: true, json, raw };
    },
    (): ReadBody => ({
      read: true,
      json: { ok: false, reason: 'malformed' },
      raw: { complete: true, bytes: new Uint8Array(0) },
    }),
  );
}

const valueOf = (body: ReadBody): unknown => (body.json.ok ? body.json.value : undefined);

/**
 * The one decision call of an adapter: reads the body only when a rule needs it (bounded,
 * never destroying the stream), then runs `authorizeNow` with the route's requirement.
 * A Node body past the limit is drained here. Synchronous when no I/O is needed (no body to
 * read, a cached token); never rejects for an authentication failure, and a body stream
 * that fails reads as malformed (fail closed: an uninspectable message needs every tool scope).
 *
 * MCP request headers (SEP-2243): a parsed body is compared with `Mcp-Method` / `Mcp-Name`
 * first (400 JSON-RPC `-32020` on a mismatch, before any 401/403). An unread body is not
 * read when the headers alone decide: a refusal goes out without touching it; an admission
 * reads it (bounded) before the handler runs, and a body that disagrees with the headers,
 * or needs scopes the token lacks, is refused then. So the headers decide early but are
 * never the only gate.
 *
 * @example
 * ```ts
 * const requirement = routeRequirement(options, 'requireAuth()'); // once, at registration
 * const outcome = guardRequest(rs, { method, url, headers, unreadBody: req }, requirement);
 * const result = outcome instanceof Promise ? await outcome : outcome;
 * if (!result.ok) writeNodeResponse(res, result.answer);
 * ```
 * @see RFC 6750 §3, MCP 2025-11-25 Authorization (scope challenge handling),
 *   MCP 2026-07-28 Streamable HTTP §Server Validation
 */
export function guardRequest(
  server: ResourceServer | ResourceServerSet,
  req: GuardRequest,
  requirement: RouteRequirement,
): GuardResult | Promise<GuardResult> {
  const rs: GuardTarget = isResourceServerSet(server) ? server : internalsOf(server);
  const { method, url, headers, clientAddress, logger, peerAddress, peerCertificate } = req;
  const peer = { peerAddress, peerCertificate };
  const wanted =
    req.parsedBody === undefined && rs.needsBody(method, headerValue(headers, 'content-type'), url);
  if (!wanted) {
    const decided = rs.authorizeNow(
      { method, url, headers, body: req.parsedBody, clientAddress, logger, ...peer },
      requirement,
    );
    return decided instanceof Promise
      ? decided.then((result) => conclude(result, UNREAD))
      : conclude(decided, UNREAD);
  }
  const bodySource = (): BodySource | undefined => {
    const body = req.unreadBody; // read only now: a function may make it lazily (a clone)
    return typeof body === 'function' ? body() : body;
  };
  const limit = (): number =>
    (typeof req.bodyLimit === 'function' ? req.bodyLimit() : req.bodyLimit) ?? DEFAULT_BODY_LIMIT;
  const core = { method, url, headers, clientAddress, logger, ...peer };

  const byHeaders = rs.authorizeByHeaders(core, requirement);
  if (byHeaders !== undefined) {
    const settle = (d: HeaderDecision): GuardResult | Promise<GuardResult> => {
      if (!('pending' in d)) return conclude(d, UNREAD); // refused from the headers: body unread
      const source = bodySource();
      if (source === undefined)
        return Promise.resolve(d.confirm(undefined)).then((r) => conclude(r, UNREAD));
      return readBody(source, limit()).then(async (body) =>
        conclude(await d.confirm(valueOf(body)), body),
      );
    };
    return byHeaders instanceof Promise ? byHeaders.then(settle) : settle(byHeaders);
  }

  const source = bodySource();
  if (source === undefined) {
    const decided = rs.authorizeNow(core, requirement);
    return decided instanceof Promise
      ? decided.then((result) => conclude(result, UNREAD))
      : conclude(decided, UNREAD);
  }
  return readBody(source, limit()).then(async (body) =>
    conclude(await rs.authorize({ ...core, body: valueOf(body) }, requirement), body),
  );
}
