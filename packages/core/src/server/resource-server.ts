import type {
  AuthorizeOptions,
  AuthorizeResult,
  HeaderDecision,
  MetadataResponse,
} from '../model/authorize-types.js';
import { createCachingVerifier } from '../verify/cache/caching-verifier.js';
import { carriesJsonRpcBody } from '../util/media-type.js';
import { createAuthorizer } from '../decide/authorize.js';
import { createFailureLimiter } from '../decide/rate-limit.js';
import { counterStore, expectedValues } from './from-config.js';
import { createDecisionObserver } from '../observe/observer.js';
import { type ResolvedConfig, resolveConfig } from './config.js';
import type { ResourceServerConfig } from './config-types.js';
import { createMetadataHandler, type MetadataLocation } from '../metadata/metadata-handler.js';
import { buildMetadata } from './metadata-document.js';
import { type ProtectedResourceMetadata } from '../model/metadata.js';
import { createIntrospectionVerifier, createJwtVerifier } from '../verify/token/index.js';
import type { RequestLike, TokenVerifier } from '../model/types.js';
import { METADATA_WELL_KNOWN, metadataUrlFor } from '../metadata/well-known.js';
import { createSignedMetadataSource } from '../metadata/signed-metadata-source.js';

/**
 * A protected resource: its metadata, where it is served, and the authorization decision.
 * Create one with `createResourceServer` and share it for the life of the process.
 */
export interface ResourceServer {
  /** The configured resource identifier, byte for byte. */
  readonly resource: string;
  /**
   * The RFC 9728 §2 document (snake_case), frozen. With `signedMetadata`, the latest signed
   * one (with `signed_metadata`) once the first signature exists, the plain one before.
   */
  readonly metadata: ProtectedResourceMetadata;
  /**
   * Resolves with the document as served once it can be served: at once without
   * `signedMetadata`; with it, when a valid signature (and the JWKS at `jwksPath`) exists.
   * Await it before listening to never answer a metadata request 503.
   *
   * @throws PrmkitError `metadata_signing_failed` when the key cannot sign.
   */
  metadataReady(): Promise<ProtectedResourceMetadata>;
  /** Path of the path-aware well-known URL (RFC 9728 §3.1), e.g. `/.well-known/oauth-protected-resource/mcp`. */
  readonly metadataPath: string;
  /** Absolute metadata URL, the `resource_metadata` of every challenge (RFC 9728 §5.1). */
  readonly metadataUrl: string;
  /**
   * Every path `handleMetadataRequest` answers: `metadataPath`, then the root alias if
   * enabled, then `signedMetadata.jwksPath` (the resource's public JWKS) if set.
   */
  readonly metadataPaths: readonly string[];
  /** The token verifier in use (JWT, introspection, or yours). */
  readonly verifier: TokenVerifier;
  /** Answers GET/HEAD (200/304), OPTIONS (204 preflight) and anything else (405). */
  handleMetadataRequest(req: RequestLike): MetadataResponse;
  /** The one authorization decision. Never throws for an authentication failure. */
  authorize(req: RequestLike, options?: AuthorizeOptions): Promise<AuthorizeResult>;
}

/**
 * The members a resource server has beyond its public type: the hot-path methods adapters
 * call through `guardRequest` (the `@prmkit/core/adapter` entry), never applications.
 */
export interface ResourceServerInternals extends ResourceServer {
  /**
   * The same decision as `authorize`, returned synchronously when it needs no I/O (no
   * token, a malformed one, a token already verified and cached) and as a promise
   * otherwise. For adapters on hot paths: answering in the same tick as the request keeps
   * a guard as cheap as an empty middleware.
   */
  authorizeNow(
    req: RequestLike,
    options?: AuthorizeOptions,
  ): AuthorizeResult | Promise<AuthorizeResult>;
  /**
   * Whether `authorize` would read this request's body: a JSON POST (which may name an MCP
   * tool) on a server with `toolScopes` or `scopesForMessage`. Adapters read and parse the
   * body only then, so no other request is buffered.
   */
  needsBody(method: string, contentType: string | null | undefined): boolean;
  /**
   * For adapters (`guardRequest` calls it): the decision from the MCP request headers
   * (`Mcp-Method`, `Mcp-Name`, SEP-2243) before the body is read, or `undefined` when they
   * cannot decide. A refusal is final; an admission is pending until `confirm(body)` has
   * compared the body with the headers, so a header naming one tool never lets a body
   * calling another through.
   */
  authorizeByHeaders(
    req: RequestLike,
    options?: AuthorizeOptions,
  ): HeaderDecision | Promise<HeaderDecision> | undefined;
}

/** The adapter-only members of a resource server made by `createResourceServer`. */
export function internalsOf(rs: ResourceServer): ResourceServerInternals {
  if (!isResourceServer(rs))
    throw new TypeError('not a resource server made by createResourceServer');
  return rs as ResourceServerInternals;
}

/** Marks objects made by `createResourceServer`, across copies of this package. */
const BRAND = Symbol.for('@prmkit/core.ResourceServer');

/**
 * A configuration to validate, or a resource server already built (for example, shared by
 * two adapters in one process). Every adapter accepts either.
 *
 * @example
 * ```ts
 * const input: ResourceServerInput = createResourceServer(config); // or just `config`
 * ```
 * @see RFC 9728 §2
 */
export type ResourceServerInput = ResourceServerConfig | ResourceServer;

/**
 * Whether `value` was made by `createResourceServer`.
 *
 * @example
 * ```ts
 * if (!isResourceServer(input)) input = createResourceServer(input);
 * ```
 * @see RFC 9728 §2
 */
export function isResourceServer(value: unknown): value is ResourceServer {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

/**
 * The resource server for `input`: `input` itself when it already is one, else a new one
 * (validating the configuration now, so a bad one fails at startup).
 *
 * @example
 * ```ts
 * export function myAdapter(input: ResourceServerInput) {
 *   const rs = toResourceServer(input);
 * }
 * ```
 * @see RFC 9728 §2
 */
export function toResourceServer(input: ResourceServerInput): ResourceServer {
  return isResourceServer(input) ? input : createResourceServer(input as ResourceServerConfig);
}

function chooseVerifier(config: ResolvedConfig): TokenVerifier {
  const v = config.verification;
  if (v.kind === 'custom') return v.verifier;
  return v.kind === 'introspection'
    ? createIntrospectionVerifier(v.options)
    : createJwtVerifier(v.options);
}

/**
 * Validates `config` once and returns the resource server every adapter drives.
 *
 * @throws PrmkitConfigError listing every problem by field path.
 * @example
 * ```ts
 * import { createResourceServer } from '@prmkit/core';
 *
 * const rs = createResourceServer({
 *   resource: 'https://api.example.com/mcp',
 *   authorizationServers: ['https://auth.example.com'],
 *   requiredScopes: ['mcp:tools'],
 *   toolScopes: { admin_stats: ['mcp:admin'] },
 * });
 * rs.metadataPath; // '/.well-known/oauth-protected-resource/mcp'
 * const result = await rs.authorize({ method: 'GET', url: '/mcp', headers: request.headers });
 * if (!result.ok) console.log(new Response(result.body, { status: result.status, headers: result.headers }));
 * ```
 * @see RFC 9728 §2, §3, §5; RFC 6750 §3; RFC 9068 §4
 */
export function createResourceServer(config: ResourceServerConfig): ResourceServer {
  return createInternals(config);
}

function createInternals(config: ResourceServerConfig): ResourceServerInternals {
  const resolved = resolveConfig(config);
  const metadata = buildMetadata(resolved);
  const metadataUrl = metadataUrlFor(resolved.resource);
  const parsed = new URL(metadataUrl);
  const locations: MetadataLocation[] = [{ path: parsed.pathname, search: parsed.search }];
  if (resolved.serveRootMetadata && parsed.pathname !== METADATA_WELL_KNOWN) {
    locations.push({ path: METADATA_WELL_KNOWN, search: '' });
  }
  const signing =
    resolved.signedMetadata &&
    createSignedMetadataSource(metadata, resolved.signedMetadata, {
      cacheControl: resolved.metadataCacheControl,
      logger: resolved.logger,
    });
  const jwksPath = resolved.signedMetadata?.jwksPath;
  const handleMetadataRequest = createMetadataHandler(signing ? signing.metadata : metadata, {
    cacheControl: resolved.metadataCacheControl,
    locations,
    ...(signing?.jwks && jwksPath !== undefined
      ? { extra: new Map([[jwksPath, signing.jwks]]) }
      : {}),
  });
  const chosen = chooseVerifier(resolved);
  const verifier =
    resolved.tokenCache === false ? chosen : createCachingVerifier(chosen, resolved.tokenCache);
  // Only a JSON POST can name a tool, and only message rules read it (MCP Transports).
  const readsMessages = resolved.toolScopes.size > 0 || resolved.scopesForMessage !== undefined;
  const { authorize, authorizeNow, authorizeByHeaders } = createAuthorizer({
    config: resolved,
    verifier,
    challenge: {
      metadataUrl,
      dpop: resolved.dpop && {
        algs: resolved.dpop.algorithms.join(' '),
        bearer: resolved.dpop.mode === 'allowed',
      },
    },
    messageRules: resolved,
    observer: createDecisionObserver({
      resource: resolved.resource,
      expected: expectedValues(resolved),
      onDecision: resolved.onDecision,
      logger: resolved.logger,
    }),
    limiter: resolved.rateLimit && createFailureLimiter(resolved.rateLimit, counterStore(resolved)),
  });
  return Object.freeze({
    [BRAND]: true,
    resource: resolved.resource,
    get metadata(): ProtectedResourceMetadata {
      return signing?.latest() ?? metadata;
    },
    metadataReady: signing ? () => signing.ready() : () => Promise.resolve(metadata),
    metadataPath: parsed.pathname,
    metadataUrl,
    metadataPaths: Object.freeze([
      ...locations.map((l) => l.path),
      ...(jwksPath === undefined ? [] : [jwksPath]),
    ]),
    verifier,
    handleMetadataRequest,
    authorize,
    authorizeNow,
    authorizeByHeaders,
    needsBody: (method: string, contentType: string | null | undefined) =>
      readsMessages && carriesJsonRpcBody(method, contentType),
  });
}
