import { SetMetadata, createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { AuthInfo } from '@prmkit/core';
import { routeRequirement } from '@prmkit/core/adapter';
import { PRMKIT_PUBLIC_KEY, PRMKIT_SCOPES_KEY } from './tokens.js';
import type { NestHttpRequest } from './platform.js';

/**
 * Opts a route handler, or every route of a controller, out of `PrmkitGuard`. The
 * request is then neither checked nor given an `auth`.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('health')
 * health() { return 'ok'; }
 * ```
 * @see RFC 6750 §3 (only protected resources send a challenge)
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PRMKIT_PUBLIC_KEY, true);

/**
 * Scopes a route needs on top of the configured `requiredScopes`. On a controller it
 * applies to every handler; a handler's own `@RequireScopes()` replaces the controller's
 * (it does not add to it). A token without them gets 403 `insufficient_scope`. A scope
 * that is not an RFC 6749 §3.3 token throws `PrmkitConfigError` at once.
 *
 * @example
 * ```ts
 * @RequireScopes('mcp:admin')
 * @Get('admin')
 * admin(@Auth() auth: AuthInfo) { return auth.subject; }
 * ```
 * @see RFC 6750 §3.1 (insufficient_scope)
 */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator => {
  // Validated at decoration time, by the same rule as every adapter's requireAuth().
  const requirement = routeRequirement({ scopes }, '@RequireScopes()');
  return SetMetadata(PRMKIT_SCOPES_KEY, requirement.scopes);
};

/**
 * Parameter decorator giving the verified access token of the request (`AuthInfo`), or
 * one of its fields when a key is given. `undefined` on `@Public()` routes.
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@Auth() auth: AuthInfo, @Auth('subject') subject: string | undefined) {
 *   return { subject, scopes: auth.scopes };
 * }
 * ```
 * @see RFC 9068 §2.2 (the claims behind AuthInfo)
 */
export const Auth: (key?: keyof AuthInfo) => ParameterDecorator = createParamDecorator(
  (key: keyof AuthInfo | undefined, context: ExecutionContext): unknown => {
    const auth = context.switchToHttp().getRequest<NestHttpRequest | undefined>()?.auth;
    return key === undefined ? auth : auth?.[key];
  },
);
