import type { ResourceServerConfig } from '@prmkit/core';
import type { SuiteRequest, SuiteResponse } from './http.js';

/** The TLS settings of a harness server (PEM): request a client certificate, do not require one. */
export interface ServerTls {
  readonly cert: string;
  readonly key: string;
}

/** A running server started by a harness. */
export interface RunningServer {
  close(): Promise<void>;
}

/**
 * An adapter driven without a socket, through the framework's own in-process entry
 * (Fastify `inject`, Hono `app.request`): the way most users test their apps.
 *
 * @example
 * ```ts
 * const app: InProcessApp = { send: (req) => fromInject(fastify.inject(toInject(req))), close: () => fastify.close() };
 * ```
 * @see RFC 6750 §3
 */
export interface InProcessApp {
  send(req: SuiteRequest): Promise<SuiteResponse>;
  close(): Promise<void>;
  /** False when the entry cannot send one header twice (a Web `Headers` joins them). */
  readonly repeatsHeaders: boolean;
}

/**
 * How the shared suite drives one adapter. Every adapter (Express, Fastify, Hono, NestJS)
 * implements this and runs `runAdapterSuite(name, harness)`.
 *
 * @example
 * ```ts
 * const harness: AdapterHarness = {
 *   async start({ port, config }) { const app = build(config); const srv = app.listen(port, '127.0.0.1'); return { close: () => stop(srv) }; },
 * };
 * runAdapterSuite('express', harness);
 * ```
 * @see RFC 9728 §3, RFC 6750 §3
 */
export interface AdapterHarness {
  /** Start a real server on 127.0.0.1:`port` with the adapter protecting these routes:
   *  metadata routes (from the adapter, at rs.metadataPaths);
   *  GET and POST /mcp  → requireAuth() (config.requiredScopes apply), 200 JSON of
   *     { subject, clientId, scopes, audience, issuer, actor } from the verified auth, and on
   *     POST `body`: the JSON body as the handler reads it (see runBodySuite);
   *  GET /mcp/admin     → requireAuth({ scopes: ['mcp:admin'] }), same 200 JSON;
   *  GET /public        → unprotected, 200 text "ok".
   *  POST bodies with content-type application/json must reach the core parsed (per-tool scopes). */
  start(options: {
    port: number;
    config: ResourceServerConfig;
    /**
     * Serve HTTPS with this certificate and key (PEM), requesting but not requiring a client
     * certificate (`requestCert: true, rejectUnauthorized: false`): the mTLS cases.
     */
    tls?: ServerTls;
  }): Promise<RunningServer>;
  /** Start a real server with several resources in one adapter instance (the array of
   *  configurations given as is, so the adapter builds the `ResourceServerSet`):
   *  metadata routes (from the adapter, at every member's metadataPaths);
   *  GET and POST /github/mcp, GET and POST /jira/mcp → requireAuth();
   *  GET /gw/github → requireAuth({ scopes: ['mcp:github:read'] });
   *  GET /gw/jira   → requireAuth({ scopes: ['mcp:jira:write'] });
   *  GET /public    → unprotected, 200 text "ok".
   *  Protected routes answer the same JSON as `start`'s. An adapter that takes one resource
   *  only (`@prmkit/web`) leaves it out, and the suite says so by skipping. */
  startMany?(options: {
    port: number;
    configs: readonly ResourceServerConfig[];
  }): Promise<RunningServer>;
  /** The same routes, driven in process; the suite runs its authorization table there too. */
  inProcess?(options: { config: ResourceServerConfig }): Promise<InProcessApp>;
  /**
   * Who parses a JSON body for the handler: the adapter (or the framework under it), which
   * answers a malformed one with 400; or the handler itself, from the untouched request
   * (Hono: `c.req.json()`), so a malformed body is the handler's to refuse. Default `'adapter'`.
   */
  readonly bodyReader?: 'adapter' | 'handler';
  /**
   * The same routes with the adapter's `bodyLimit` set to `limit` bytes, and what a token
   * with every tool scope (`allTools`) gets for a body over it. The guard never reads past
   * the limit, so the tool is unknown and the endpoint scope alone is refused 403.
   */
  readonly bodyLimit?: {
    readonly limit: number;
    /** 413, or 200 where the handler reads the body itself (`bodyReader: 'handler'`). */
    readonly allTools: 413 | 200;
    start(options: { port: number; config: ResourceServerConfig }): Promise<RunningServer>;
  };
}
