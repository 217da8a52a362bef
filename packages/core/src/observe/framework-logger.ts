import type { PrmkitLogger } from '../model/logger.js';

/** Loggers an adapter set as the default: a request's own child logger may stand in for them. */
const frameworkDefaults = new WeakSet<PrmkitLogger>();

/** Records `logger` as a framework's default (see `withDefaultLogger`). */
export function markFrameworkDefault(logger: PrmkitLogger): void {
  frameworkDefaults.add(logger);
}

/** Whether `logger` is a framework's default (set by `withDefaultLogger`). */
export function isFrameworkDefault(logger: PrmkitLogger | undefined): boolean {
  return logger !== undefined && frameworkDefaults.has(logger);
}
