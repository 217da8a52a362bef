/**
 * Injection token of the `ResourceServer` (from `@prmkit/core`) the module creates; a
 * `ResourceServerSet` when it was given several resources.
 *
 * @example
 * ```ts
 * import { Inject, Injectable } from '@nestjs/common';
 * import type { ResourceServer } from '@prmkit/core';
 * @Injectable()
 * class MetadataService {
 *   constructor(@Inject(PRMKIT_RESOURCE_SERVER) private readonly rs: ResourceServer) {}
 * }
 * ```
 * @see RFC 9728 §2
 */
export const PRMKIT_RESOURCE_SERVER = Symbol.for('prmkit:resource-server');

/**
 * Injection token of the `ResourceServerConfig` (after `forRootAsync` ran). With several
 * resources: the array a `forRootAsync` factory returned, or `{ resources }` from `forRoot`.
 *
 * @example
 * ```ts
 * import { Inject, Injectable } from '@nestjs/common';
 * import type { ResourceServerConfig } from '@prmkit/core';
 * @Injectable()
 * class ConfigReader {
 *   constructor(@Inject(PRMKIT_CONFIG) private readonly config: ResourceServerConfig) {}
 * }
 * ```
 * @see RFC 9728 §2
 */
export const PRMKIT_CONFIG = Symbol.for('prmkit:config');

/**
 * Reflect metadata keys of `@Public()` (`true`) and `@RequireScopes()` (the frozen scope
 * list; a handler's replaces its controller's), for your own guards and interceptors.
 *
 * @example
 * ```ts
 * const scopes = reflector.getAllAndOverride<string[]>(PRMKIT_SCOPES_KEY, [ctx.getHandler(), ctx.getClass()]);
 * ```
 * @see RFC 6750 §3.1 (insufficient_scope), RFC 6749 §3.3
 */
export const PRMKIT_PUBLIC_KEY = 'prmkit:public';
/** See {@link PRMKIT_PUBLIC_KEY}. @example `reflector.get(PRMKIT_SCOPES_KEY, handler)` @see RFC 6749 §3.3 */
export const PRMKIT_SCOPES_KEY = 'prmkit:scopes';
