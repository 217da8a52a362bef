import type { PrmkitLogger } from '@prmkit/core';
import pino, { type DestinationStream } from 'pino';

/** Levels an operator picks with `PRMKIT_LOG_LEVEL`. */
export const EXAMPLE_LOG_LEVELS = ['debug', 'info', 'warn'] as const;
export type ExampleLogLevel = (typeof EXAMPLE_LOG_LEVELS)[number];

/**
 * The example servers' logger: pino, one JSON object per line on stdout (or `destination`),
 * with the level as a word (`"level":"warn"`), `msg`, and prmkit's fields (`reason`,
 * `expected`, `received`, ...), so `grep '"reason":"audience_mismatch"'` finds them.
 *
 * @example
 * ```ts
 * const logger = exampleLogger('debug'); // every decision, one line each
 * ```
 * @see RFC 6750 §3.1 (the reasons logged)
 */
export function exampleLogger(
  level: ExampleLogLevel,
  destination?: DestinationStream,
): PrmkitLogger {
  const options = {
    level,
    base: { service: 'prmkit-example' },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options, pino.destination(1));
}
