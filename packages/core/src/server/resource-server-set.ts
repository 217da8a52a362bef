import type {
  AuthorizeFailure,
  AuthorizeOptions,
  AuthorizeResult,
  HeaderDecision,
  MetadataResponse,
} from '../model/authorize-types.js';
import type { ResourceServerConfig } from './config-types.js';
import { type ConfigIssue, PrmkitConfigError, PrmkitError } from '../model/errors.js';
import type { RequestLike } from '../model/types.js';
import { requestPath } from '../util/headers.js';
import {
  createResourceServer,
  internalsOf,
  isResourceServer,
  type ResourceServer,
  type ResourceServerInput,
} from './resource-server.js';

/**
 * Several protected resources served by one app (a gateway in front of several MCP
 * servers, one app with several APIs): each with its own identifier, authorization
 * servers, scopes and metadata, each guarding its own paths.
 *
 * Rules, all decided here (adapters only translate):
 * - **Metadata**: each resource at its own path-aware well-known URL (RFC 9728 §3.1). The
 *   root `/.well-known/oauth-protected-resource` is served only by a resource at the
 *   origin root (`https://gw.example.com`) or by the one member with
 *   `serveRootMetadata: true` (which defaults to false in a set); otherwise it is not
 *   served (404: the app goes on). Two members at one metadata URL is a config error.
 * - **Guard**: a request is decided by the resource that owns its path: the member whose
 *   resource path is the longest segment-wise prefix of the request path (`/github/mcp`
 *   owns `/github/mcp` and `/github/mcp/x`, not `/github/mcpx`; a root resource owns every
 *   path no other owns). A token for one member is refused by another (`audience_mismatch`).
 *   A path no member owns, or one whose owner would differ if letters were compared
 *   case-insensitively (Express routes case-insensitively), gets 404 `resource_not_found`:
 *   fail closed, never another resource's decision.
 *
 * @example
 * ```ts
 * const set = createResourceServerSet([
 *   { resource: 'https://gw.example.com/github/mcp', authorizationServers: [as] },
 *   { resource: 'https://gw.example.com/jira/mcp', authorizationServers: [as] },
 * ]);
 * set.resourceFor('/jira/mcp')?.resource; // 'https://gw.example.com/jira/mcp'
 * const result = await set.authorize({ method: 'POST', url: '/jira/mcp', headers });
 * ```
 * @see RFC 9728 §3.1 (path-aware metadata URLs), RFC 8707 §2 (one audience per resource)
 */
export interface ResourceServerSet {
  /** The members, in configuration order. */
  readonly resourceServers: readonly ResourceServer[];
  /** Every path a member serves its metadata at (mount these, at the app root). */
  readonly metadataPaths: readonly string[];
  /** The member that owns the request path of `url`, or `undefined` (see the rules above). */
  resourceFor(url: string): ResourceServer | undefined;
  /** The member's metadata answer at its location; 404 anywhere else. */
  handleMetadataRequest(req: RequestLike): MetadataResponse;
  /** The owner's `authorize`; 404 `resource_not_found` when no member owns the path. */
  authorize(req: RequestLike, options?: AuthorizeOptions): Promise<AuthorizeResult>;
  /** The owner's `authorizeNow` (synchronous when it needs no I/O). */
  authorizeNow(
    req: RequestLike,
    options?: AuthorizeOptions,
  ): AuthorizeResult | Promise<AuthorizeResult>;
  /** Whether the owner of `url` would read this request's body. */
  needsBody(method: string, contentType: string | null | undefined, url?: string): boolean;
  /**
   * The owner's decision from the MCP request headers (SEP-2243), for `guardRequest`;
   * `undefined` when no member owns the path or the headers cannot decide (the body path
   * then answers, 404 included).
   */
  authorizeByHeaders(
    req: RequestLike,
    options?: AuthorizeOptions,
  ): HeaderDecision | Promise<HeaderDecision> | undefined;
}

/**
 * Resource configurations for {@link createResourceServerSet}, or a set already built.
 *
 * @example
 * ```ts
 * const input: ResourceServerSetInput = [githubConfig, jiraConfig];
 * ```
 * @see RFC 9728 §3.1
 */
export type ResourceServerSetInput = readonly ResourceServerConfig[] | ResourceServerSet;

const BRAND = Symbol.for('@prmkit/core.ResourceServerSet');

/**
 * Whether `value` was made by `createResourceServerSet`.
 *
 * @example
 * ```ts
 * const members = isResourceServerSet(x) ? x.resourceServers : [x];
 * ```
 * @see RFC 9728 §3.1
 */
export function isResourceServerSet(value: unknown): value is ResourceServerSet {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

const UNRESERVED = /%(?:[46][1-9A-F]|[57][0-9A]|3[0-9]|2D|2E|5F|7E)/gi;

/**
 * The path as a router that decodes would see it: dot segments resolved (RFC 3986 §5.2.4),
 * percent-encoded unreserved characters decoded (§6.2.2.2), trailing slash dropped.
 */
function normalizedPath(url: string): string | undefined {
  const where = requestPath(url);
  if (!where) return undefined;
  let path = where.path;
  if (/%|\/\.|\\/.test(path)) {
    try {
      // Appended, not resolved against a base: `//host/x` must stay a path, not an authority.
      path = new URL(`http://h${path}`).pathname.replace(UNRESERVED, (m) =>
        String.fromCharCode(parseInt(m.slice(1), 16)),
      );
    } catch {
      return undefined;
    }
  }
  return trimSlash(path);
}

const trimSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') || '/' : path);

/** The member owning `path`: longest segment-wise prefix; `/` owns everything. */
function owner<T>(path: string, members: readonly (readonly [string, T])[]): T | undefined {
  let best: T | undefined;
  let bestLength = -1;
  for (const [prefix, member] of members) {
    const owns =
      prefix === '/' || path === prefix || (path.startsWith(prefix) && path[prefix.length] === '/');
    if (owns && prefix.length > bestLength) [best, bestLength] = [member, prefix.length];
  }
  return best;
}

const freeze = <T extends object>(value: T): T => Object.freeze(value);

const NOT_FOUND_METADATA: MetadataResponse = freeze({
  status: 404,
  headers: freeze({ 'content-type': 'application/json', 'access-control-allow-origin': '*' }),
  body: '{"error":"not_found"}',
});

const NO_OWNER: AuthorizeFailure = freeze({
  ok: false,
  status: 404,
  headers: freeze({ 'content-type': 'application/json', 'cache-control': 'no-store' }),
  body: '{"error":"not_found","error_description":"no protected resource at this path"}',
  error: new PrmkitError('resource_not_found', 'no protected resource of this app owns this path'),
});

/**
 * Builds a {@link ResourceServerSet}: validates every configuration (one
 * `PrmkitConfigError` listing every problem as `resources.<i>.<path>`), then the set's own
 * rules: no two members at one metadata URL or one resource path (compared
 * case-insensitively), at least one member.
 *
 * @throws PrmkitConfigError
 * @example
 * ```ts
 * import { createResourceServerSet } from '@prmkit/core';
 *
 * const set = createResourceServerSet([
 *   { resource: 'https://gw.example.com/github/mcp', authorizationServers: ['https://as.example.com'] },
 *   { resource: 'https://gw.example.com/jira/mcp', authorizationServers: ['https://as.example.com'] },
 * ]);
 * set.metadataPaths; // ['/.well-known/oauth-protected-resource/github/mcp', '/.well-known/oauth-protected-resource/jira/mcp']
 * ```
 * @see RFC 9728 §3.1, RFC 8707 §2
 */
export function createResourceServerSet(
  configs: readonly ResourceServerConfig[],
  create: (config: ResourceServerConfig) => ResourceServer = createResourceServer,
): ResourceServerSet {
  if (!Array.isArray(configs) || configs.length === 0) {
    throw new PrmkitConfigError([{ path: 'resources', message: 'at least one resource' }]);
  }
  const issues: ConfigIssue[] = [];
  const members: ResourceServer[] = [];
  configs.forEach((config: ResourceServerConfig, i) => {
    try {
      const own = typeof config === 'object' && config !== null ? config : ({} as never);
      members.push(create({ ...own, serveRootMetadata: own.serveRootMetadata ?? false }));
    } catch (error) {
      if (!(error instanceof PrmkitConfigError)) throw error;
      for (const issue of error.issues)
        issues.push({
          path: `resources.${i}${issue.path ? `.${issue.path}` : ''}`,
          message: issue.message,
        });
    }
  });
  if (issues.length > 0) throw new PrmkitConfigError(issues);

  const locations = new Map<string, number>();
  const paths = new Map<string, number>();
  members.forEach((rs, i) => {
    const url = new URL(rs.resource);
    for (const path of rs.metadataPaths) {
      const key = path === rs.metadataPath ? `${path}${url.search}` : path;
      const other = locations.get(key);
      if (other === undefined) locations.set(key, i);
      else
        issues.push({
          path: `resources.${i}`,
          message: `metadata URL ${key} is already served by resources.${other} (${members[other]!.resource}); give the root one to at most one resource (serveRootMetadata)`,
        });
    }
    const path = trimSlash(url.pathname).toLowerCase();
    const other = paths.get(path);
    if (other === undefined) paths.set(path, i);
    else
      issues.push({
        path: `resources.${i}.resource`,
        message: `resources.${other} is at the same path (${url.pathname}): requests could not be told apart`,
      });
  });
  if (issues.length > 0) throw new PrmkitConfigError(issues);

  const exact = members.map((rs) => [trimSlash(new URL(rs.resource).pathname), rs] as const);
  const folded = exact.map(([path, rs]) => [path.toLowerCase(), rs] as const);
  const resourceFor = (url: string): ResourceServer | undefined => {
    const path = normalizedPath(url);
    if (path === undefined) return undefined;
    const found = owner(path, exact);
    return found === owner(path.toLowerCase(), folded) ? found : undefined;
  };
  const metadataPaths = [...new Set(members.flatMap((rs) => rs.metadataPaths))];
  const byMetadataPath = new Map<string, ResourceServer[]>();
  for (const rs of members)
    for (const path of rs.metadataPaths)
      byMetadataPath.set(path, [...(byMetadataPath.get(path) ?? []), rs]);

  return freeze({
    [BRAND]: true,
    resourceServers: freeze(members),
    metadataPaths: freeze(metadataPaths),
    resourceFor,
    handleMetadataRequest(req: RequestLike): MetadataResponse {
      const path = requestPath(req.url)?.path;
      for (const rs of (path !== undefined && byMetadataPath.get(path)) || []) {
        const answer = rs.handleMetadataRequest(req);
        if (answer.status !== 404) return answer;
      }
      return NOT_FOUND_METADATA;
    },
    authorize(req: RequestLike, options?: AuthorizeOptions): Promise<AuthorizeResult> {
      const rs = resourceFor(req.url);
      return rs ? rs.authorize(req, options) : Promise.resolve(NO_OWNER);
    },
    authorizeNow(req: RequestLike, options?: AuthorizeOptions) {
      const rs = resourceFor(req.url);
      return rs ? internalsOf(rs).authorizeNow(req, options) : NO_OWNER;
    },
    needsBody(method: string, contentType: string | null | undefined, url?: string): boolean {
      const rs = url === undefined ? undefined : resourceFor(url);
      return rs !== undefined && internalsOf(rs).needsBody(method, contentType);
    },
    authorizeByHeaders(req: RequestLike, options?: AuthorizeOptions) {
      const rs = resourceFor(req.url);
      return rs ? internalsOf(rs).authorizeByHeaders(req, options) : undefined;
    },
  });
}

/**
 * `input` itself when it already is a set, else a new one from these configurations.
 *
 * @example
 * ```ts
 * const set = toResourceServerSet([githubConfig, jiraConfig]);
 * ```
 * @see RFC 9728 §3.1
 */
export function toResourceServerSet(input: ResourceServerSetInput): ResourceServerSet {
  return isResourceServerSet(input) ? input : createResourceServerSet(input);
}

/**
 * What every adapter accepts: one resource (a configuration or a built `ResourceServer`)
 * or several (an array of configurations or a built `ResourceServerSet`).
 *
 * @example
 * ```ts
 * prmkit(config); prmkit([githubConfig, jiraConfig]);
 * ```
 * @see RFC 9728 §3.1
 */
export type AnyResourceServerInput = ResourceServerInput | ResourceServerSetInput;

/**
 * The resource server or set for an adapter's input: a built one as is, an array of
 * configurations as a set, a configuration as one resource server (made by `create`).
 *
 * @example
 * ```ts
 * export function myAdapter(input: AnyResourceServerInput) {
 *   const target = toResourceServers(input); // guardRequest(target, ...), target.handleMetadataRequest(...)
 * }
 * ```
 * @see RFC 9728 §3.1
 */
export function toResourceServers(
  input: AnyResourceServerInput,
  create: (config: ResourceServerConfig) => ResourceServer = createResourceServer,
): ResourceServer | ResourceServerSet {
  if (Array.isArray(input)) return createResourceServerSet(input, create);
  if (isResourceServerSet(input) || isResourceServer(input)) return input;
  return create(input as ResourceServerConfig);
}
