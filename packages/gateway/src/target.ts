/**
 * One downstream the gateway calls: who it is to the authorization server (`resource`
 * and/or `audience`, the audience its tokens carry) and what to ask for (`scopes`).
 *
 * @example
 * ```ts
 * const files: DownstreamTarget = {
 *   name: 'files',
 *   upstream: 'http://127.0.0.1:4001/mcp',
 *   resource: 'http://127.0.0.1:4001/mcp',
 *   scopes: ['mcp:tools'],
 * };
 * ```
 * @see RFC 8707 §2 (resource), RFC 8693 §2.1 (audience)
 */
export interface DownstreamTarget {
  /** A name for logs, events and `fetchFor(auth, name)`. */
  readonly name: string;
  /**
   * Where requests for this target go (absolute URL). A guarded fetch refuses any other
   * origin or any path outside it.
   */
  readonly upstream?: string;
  /** RFC 8707 resource indicator of the downstream (its tokens' `aud`). */
  readonly resource?: string;
  /** RFC 8693 `audience` of the downstream (Keycloak client id, Auth0 API identifier...). */
  readonly audience?: string;
  /** Scopes requested for the downstream. */
  readonly scopes: readonly string[];
}

/** The audiences a token for `target` may carry: its resource and its audience. */
export function targetAudiences(target: DownstreamTarget): readonly string[] {
  return [target.resource, target.audience].filter((value): value is string => value !== undefined);
}
