/**
 * Reflect metadata key set (to `true`) by `@Public()`. Namespaced so it never clashes with
 * other libraries. Exported for your own guards or interceptors that need to know whether
 * a route is public.
 *
 * @example
 * ```ts
 * const isPublic = this.reflector.getAllAndOverride<boolean>(PRMKIT_PUBLIC_KEY, [
 *   context.getHandler(),
 *   context.getClass(),
 * ]);
 * ```
 * @see RFC 6750 §3 (only protected resources send a challenge)
 */
export const PRMKIT_PUBLIC_KEY = 'prmkit:public';

/**
 * Reflect metadata key set by `@RequireScopes()`: a frozen array of the route's scope
 * tokens (the handler's overrides the controller's). Exported for your own guards or
 * interceptors.
 *
 * @example
 * ```ts
 * const scopes = this.reflector.getAllAndOverride<readonly string[]>(PRMKIT_SCOPES_KEY, [
 *   context.getHandler(),
 *   context.getClass(),
 * ]);
 * ```
 * @see RFC 6750 §3.1 (insufficient_scope), RFC 6749 §3.3
 */
export const PRMKIT_SCOPES_KEY = 'prmkit:scopes';
