import type {
  AuthorizeDecision,
  AuthorizeResult,
  ExpectedValues,
} from '../model/authorize-types.js';
import { requestPath } from '../util/headers.js';
import type { AuthInfo, RequestLike } from '../model/types.js';
import { tokenFingerprint } from './fingerprint.js';
import { createHostWatch } from './host-origin.js';
import { isFrameworkDefault } from '../server/default-logger.js';
import { createDecisionLog, type PrmkitLogger } from './logger.js';
import type { DecisionReason } from '../model/reasons.js';
import { receivedValues, type ReceivedValues } from './token-facts.js';

/** What one decision noticed on the way, filled in by `authorize`. */
export interface DecisionTrace {
  /** The extracted token, if one was found (never reported, only fingerprinted). */
  token: string | undefined;
  /** Whether the verified-token cache answered. */
  cacheHit: boolean;
}

/** Who hears about decisions, and what they are compared against. */
export interface DecisionObserverOptions {
  readonly resource: string;
  readonly expected: Omit<ExpectedValues, 'scopes'>;
  readonly onDecision: ((decision: AuthorizeDecision) => void) | undefined;
  readonly logger: PrmkitLogger | undefined;
}

/** Reports decisions to `onDecision` and the logger; watches `Host`. */
export interface DecisionObserver {
  /** Called before each decision with the request's headers. */
  readonly watchRequest: ((req: RequestLike) => void) | undefined;
  report(
    req: RequestLike,
    result: AuthorizeResult,
    required: readonly string[],
    durationMs: number,
    trace: DecisionTrace,
  ): void;
}

// A verified token's AuthInfo is shared by every request that presents it (the token
// cache returns the same frozen object), so its facts are worked out once.
const grantedFacts = new WeakMap<
  AuthInfo,
  { readonly received: ReceivedValues; readonly tokenFingerprint: string }
>();

function factsOf(auth: AuthInfo) {
  let facts = grantedFacts.get(auth);
  if (facts === undefined) {
    facts = {
      received: receivedValues(auth.token, auth),
      tokenFingerprint: tokenFingerprint(auth.token),
    };
    grantedFacts.set(auth, facts);
  }
  return facts;
}

/** The decision event for one `authorize` call (see {@link AuthorizeDecision}). */
export function decisionEvent(
  req: RequestLike,
  result: AuthorizeResult,
  required: readonly string[],
  durationMs: number,
  trace: DecisionTrace,
  expected: Omit<ExpectedValues, 'scopes'>,
): AuthorizeDecision {
  const token = trace.token;
  const common = {
    method: req.method,
    path: requestPath(req.url)?.path ?? '',
    requiredScopes: required,
    expected: { ...expected, scopes: required },
    cacheHit: trace.cacheHit,
    durationMs,
  };
  if (result.ok) {
    return {
      ok: true,
      status: 200,
      ...common,
      subject: result.auth.subject,
      clientId: result.auth.clientId,
      ...(result.auth.audienceAlias !== undefined && { audienceAlias: result.auth.audienceAlias }),
      ...factsOf(result.auth),
    };
  }
  return {
    ok: false,
    status: result.status,
    // authorize normalizes every refusal's code onto the reason list.
    reason: result.error.code as DecisionReason,
    code: result.error.code,
    ...common,
    ...(token === undefined
      ? {}
      : { received: receivedValues(token), tokenFingerprint: tokenFingerprint(token) }),
    detail: result.error.message,
  };
}

/**
 * The observer of one resource server, or `undefined` when nobody listens (then
 * `authorize` builds no event at all).
 */
export function createDecisionObserver(
  options: DecisionObserverOptions,
): DecisionObserver | undefined {
  const { onDecision, logger, expected } = options;
  if (!onDecision && !logger) return undefined;
  const perRequest = isFrameworkDefault(logger);
  const log = logger
    ? createDecisionLog(logger, Date.now, { unknownLevelIsDebug: !perRequest })
    : undefined;
  const watchHost = logger ? createHostWatch(options.resource, logger) : undefined;
  return {
    watchRequest: watchHost && ((req) => watchHost(req.headers)),
    report(req, result, required, durationMs, trace) {
      // With only a logger, most decisions are never written: build no event for them.
      const logs = log?.wants(result.ok ? undefined : result.error.code) ?? false;
      if (!onDecision && !logs) return;
      const decision = decisionEvent(req, result, required, durationMs, trace, expected);
      if (onDecision) {
        try {
          onDecision(decision);
        } catch (e) {
          // A broken hook must not change the decision; say so loudly.
          if (logger) logger.warn({ err: e }, 'prmkit: the onDecision hook threw');
          else console.error('[prmkit] onDecision hook threw:', e);
        }
      }
      if (logs) {
        try {
          log!.write(decision, perRequest && req.logger ? req.logger : undefined);
        } catch {
          // A logger that throws must not change the decision either.
        }
      }
    },
  };
}
