/**
 * Injection token of the `ResourceServer` (from `@prmkit/core`) the module creates.
 *
 * @example
 * ```ts
 * constructor(@Inject(PRMKIT_RESOURCE_SERVER) private readonly rs: ResourceServer) {}
 * ```
 * @see RFC 9728 §2
 */
export const PRMKIT_RESOURCE_SERVER = Symbol.for('prmkit:resource-server');

/**
 * Injection token of the resolved `ResourceServerConfig` (after `forRootAsync` ran).
 *
 * @example
 * ```ts
 * constructor(@Inject(PRMKIT_CONFIG) private readonly config: ResourceServerConfig) {}
 * ```
 * @see RFC 9728 §2
 */
export const PRMKIT_CONFIG = Symbol.for('prmkit:config');
