/**
 * Runs `make` with V8's stack-trace capture off, for errors that are verdicts about input
 * (a refused token) rather than reports of a bug: on a flood of forged tokens, capturing
 * their stacks cost more than the rest of each refusal. Where the runtime has no
 * `Error.stackTraceLimit` (not V8), `make` just runs.
 */
export function withoutStackTraces<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  if (typeof limit !== 'number') return make();
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
