/**
 * A logger prmkit can write to: pino's (and so Fastify's `request.log`/`fastify.log`)
 * shape, `method(object, message)`. `debug` and `info` are optional; `isLevelEnabled`, when
 * present, saves building a line nobody will see.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * createResourceServer({ ...config, logger: pino({ level: 'info' }) });
 * ```
 * @see RFC 6750 §3.1 (the reasons logged)
 */
export interface PrmkitLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info?(fields: Record<string, unknown>, message: string): void;
  debug?(fields: Record<string, unknown>, message: string): void;
  isLevelEnabled?(level: string): boolean;
}
