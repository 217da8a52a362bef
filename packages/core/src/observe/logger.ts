import type { AuthorizeDecision } from '../model/authorize-types.js';
import type { PrmkitLogger } from '../model/logger.js';
import { MISCONFIGURATION_REASONS } from '../model/reasons.js';

/**
 * Least time between two warnings for the same reason, ms (one minute).
 *
 * @example
 * ```ts
 * // At most one 'audience_mismatch' warning per WARN_INTERVAL_MS, however many requests.
 * WARN_INTERVAL_MS; // 60000
 * ```
 * @see RFC 6750 §3.1 (the reasons warned about)
 */
export const WARN_INTERVAL_MS = 60_000;

const quote = (v: unknown) => JSON.stringify(v ?? null);

function hint(d: AuthorizeDecision): string {
  switch (d.reason) {
    case 'issuer_mismatch':
      return `token iss ${quote(d.received?.issuer)} is not one of authorizationServers ${quote(d.expected.issuers)}`;
    case 'audience_mismatch':
      return `token aud ${quote(d.received?.audience)} does not include resource ${quote(d.expected.audience)}`;
    case 'type_not_allowed':
      return `token typ ${quote(d.received?.typ)} is not one of ${quote(d.expected.types)} (jwt.acceptedTypes)`;
    case 'key_not_found':
      return `no key with kid ${quote(d.received?.kid)} in the key set (is jwt.jwksUri the issuer's?)`;
    default:
      return d.detail ?? 'the authorization infrastructure failed';
  }
}

/** The fields of one log line: the decision, flat, so `grep reason` finds it. */
export function logFields(d: AuthorizeDecision): Record<string, unknown> {
  return {
    reason: d.reason ?? 'granted',
    status: d.status,
    method: d.method,
    path: d.path,
    expected: d.expected,
    received: d.received,
    tokenFingerprint: d.tokenFingerprint,
    subject: d.subject,
    clientId: d.clientId,
    cacheHit: d.cacheHit,
    clientCertificate: d.clientCertificate,
    durationMs: Math.round(d.durationMs * 1000) / 1000,
    detail: d.detail,
  };
}

/**
 * The logging policy: every decision at debug level (when enabled); a warning on the
 * first refusal whose reason looks like this server's own misconfiguration or an outage
 * ({@link MISCONFIGURATION_REASONS}), then at most once per {@link WARN_INTERVAL_MS} per
 * reason; nothing else, so a server logs nothing per request by default.
 */
export function createDecisionLog(
  logger: PrmkitLogger,
  now: () => number = Date.now,
  { unknownLevelIsDebug = true }: { readonly unknownLevelIsDebug?: boolean } = {},
): DecisionLog {
  const lastWarned = new Map<string, number>();
  // A logger that cannot say its level: yours is taken to want debug; a framework's default
  // (Fastify's no-op `abstract-logging` when its logger is off) is not, so no event is built
  // for every request only to be thrown away.
  const debugOn = (): boolean =>
    logger.debug !== undefined && (logger.isLevelEnabled?.('debug') ?? unknownLevelIsDebug);
  const write = (d: AuthorizeDecision, target: PrmkitLogger = logger): void => {
    if (!d.ok && d.reason && MISCONFIGURATION_REASONS.includes(d.reason)) {
      const at = now();
      const last = lastWarned.get(d.reason);
      if (last === undefined || at - last >= WARN_INTERVAL_MS) {
        lastWarned.set(d.reason, at);
        target.warn(
          logFields(d),
          `prmkit refused a request (${d.reason}, HTTP ${d.status}): ${hint(d)}; this usually means a configuration problem or an outage, not a bad client (repeats at most once a minute)`,
        );
        return;
      }
    }
    if (debugOn() && target.debug) {
      target.debug(
        logFields(d),
        d.ok ? 'prmkit granted a request' : `prmkit refused a request (${d.reason})`,
      );
    }
  };
  return {
    wants: (code) => (code !== undefined && MISCONFIGURATION.has(code)) || debugOn(),
    write,
  };
}

/** The logging policy of one resource server. */
export interface DecisionLog {
  /** Whether a decision refused with `code` (`undefined`: granted) would be logged at all. */
  wants(code: string | undefined): boolean;
  /** Writes through `target` (a request's own child logger) or the configured logger. */
  write(decision: AuthorizeDecision, target?: PrmkitLogger): void;
}

const MISCONFIGURATION: ReadonlySet<string> = new Set(MISCONFIGURATION_REASONS);
