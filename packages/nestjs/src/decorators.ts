import { SetMetadata, createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { AuthInfo } from '@prmkit/core';
import { routeRequirement } from '@prmkit/core/adapter';
import type { NestHttpRequest } from './platform.js';
import { PRMKIT_PUBLIC_KEY, PRMKIT_SCOPES_KEY } from './tokens.js';

/**
 * Opts a route handler, or every route of a controller, out of `PrmkitGuard`: the request
 * is neither checked nor given an `auth`.
 *
 * @example
 * ```ts
 * import { Controller, Get } from '@nestjs/common';
 * @Controller()
 * class HealthController {
 *   @Public() @Get('health') health() { return 'ok'; }
 * }
 * ```
 * @see RFC 6750 §3 (only protected resources send a challenge)
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PRMKIT_PUBLIC_KEY, true);

/**
 * Scopes a route needs on top of the configured `requiredScopes` (403 `insufficient_scope`
 * without them). A handler's own `@RequireScopes()` replaces its controller's. A scope that
 * is not an RFC 6749 §3.3 token throws `PrmkitConfigError` at once (the rule of every adapter).
 *
 * @example
 * ```ts
 * import { Controller, Get } from '@nestjs/common';
 * import type { AuthInfo } from '@prmkit/core';
 * @Controller()
 * class AdminController {
 *   @RequireScopes('mcp:admin') @Get('admin') admin(@Auth() auth: AuthInfo) { return auth.subject; }
 * }
 * ```
 * @see RFC 6750 §3.1 (insufficient_scope)
 */
export const RequireScopes = (...scopes: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(PRMKIT_SCOPES_KEY, routeRequirement({ scopes }, '@RequireScopes()').scopes);

/**
 * The verified access token of the request (`AuthInfo`), or one of its fields when a key is
 * given. `undefined` on `@Public()` routes.
 *
 * @example
 * ```ts
 * import { Controller, Get } from '@nestjs/common';
 * import type { AuthInfo } from '@prmkit/core';
 * @Controller()
 * class MeController {
 *   @Get('me') me(@Auth() auth: AuthInfo, @Auth('subject') subject: string | undefined) {
 *     return subject ?? auth.subject;
 *   }
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
