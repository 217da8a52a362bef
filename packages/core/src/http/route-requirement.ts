import { PrmkitConfigError } from '../model/errors.js';
import type { ConfigIssue } from '../model/errors.js';
import { isScopeToken } from '../decide/scope.js';

/**
 * What one protected route requires on top of the configuration's `requiredScopes`:
 * the options of every adapter's `requireAuth()` (and of Nest's `@RequireScopes()`).
 *
 * @example
 * ```ts
 * const options: RequireAuthOptions = { scopes: ['mcp:admin'] };
 * ```
 * @see RFC 6750 §3.1 (insufficient_scope)
 */
export interface RequireAuthOptions {
  /** Scopes this route needs on top of the config's `requiredScopes`, one RFC 6749 §3.3 token each. */
  readonly scopes?: readonly string[];
}

/** A validated, frozen {@link RequireAuthOptions}: made once per route, at registration. */
export interface RouteRequirement {
  readonly scopes: readonly string[];
}

const NONE: RouteRequirement = Object.freeze({ scopes: Object.freeze([]) });

/**
 * Validates a route's requirement once, when the route is registered, so a bad scope
 * fails at startup instead of answering 403 for ever. `where` names the call in errors.
 *
 * @throws PrmkitConfigError when `scopes` is not a list of RFC 6749 §3.3 scope tokens.
 * @example
 * ```ts
 * const requirement = routeRequirement({ scopes: ['mcp:admin'] }, 'requireAuth()');
 * routeRequirement({ scopes: ['a b'] }, 'requireAuth()'); // throws PrmkitConfigError
 * ```
 * @see RFC 6749 §3.3, RFC 6750 §3.1
 */
export function routeRequirement(
  options: RequireAuthOptions | undefined,
  where: string,
): RouteRequirement {
  if (options === undefined) return NONE;
  const issues: ConfigIssue[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new PrmkitConfigError([{ path: where, message: 'options must be an object' }]);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'scopes') {
      issues.push({ path: `${where}.${key}`, message: `unknown option (did you mean "scopes"?)` });
    }
  }
  const scopes: unknown = options.scopes ?? [];
  if (!Array.isArray(scopes)) {
    issues.push({ path: `${where}.scopes`, message: 'must be an array of scope strings' });
  } else {
    scopes.forEach((scope: unknown, i) => {
      if (typeof scope !== 'string' || !isScopeToken(scope)) {
        issues.push({
          path: `${where}.scopes.${i}`,
          message: `invalid scope token ${JSON.stringify(scope)}: one RFC 6749 §3.3 token per entry (no spaces, quotes or backslashes); write ['a', 'b'], not ['a b']`,
        });
      }
    });
  }
  if (issues.length > 0) throw new PrmkitConfigError(issues);
  const list = scopes as readonly string[];
  return list.length === 0 ? NONE : Object.freeze({ scopes: Object.freeze([...list]) });
}
