import type { PrmkitLogger } from '@prmkit/core';

/** The server's own account of its refusals, as its logger receives them. */
export interface ServerReasons {
  /** Hand this to the example server: it logs every decision to it (debug). */
  readonly logger: PrmkitLogger;
  /** The reason of the latest refusal not yet shown, in a few words. */
  take(): string | undefined;
}

const words = (v: unknown): string =>
  Array.isArray(v) ? v.map(String).join(' ') : typeof v === 'string' ? v : '';

/** One line: the stable reason, and for a scope refusal what was needed and granted. */
function describe(fields: Record<string, unknown>): string | undefined {
  const reason = fields['reason'];
  if (typeof reason !== 'string' || reason === 'granted') return undefined;
  const expected = fields['expected'] as { scopes?: unknown } | undefined;
  const received = fields['received'] as { scopes?: unknown } | undefined;
  if (reason === 'insufficient_scope') {
    return `${reason}: needs "${words(expected?.scopes)}", the token has "${words(received?.scopes)}"`;
  }
  return reason;
}

/**
 * A logger that keeps the server's refusal reasons for the narration, so the demo shows
 * why the server said no (from the server's decision event, not guessed by the client).
 */
export function createServerReasons(): ServerReasons {
  const pending: string[] = [];
  const record = (fields: Record<string, unknown>): void => {
    const line = describe(fields);
    if (line !== undefined) pending.push(line);
  };
  return {
    logger: { warn: record, debug: record, isLevelEnabled: () => true },
    take: () => {
      const latest = pending.at(-1);
      pending.length = 0;
      return latest;
    },
  };
}
