import type {
  AuthorizeDecision,
  AuthorizeResult,
  ExpectedValues,
} from '../model/authorize-types.js';
import { requestPath } from '../util/headers.js';
import type { AuthInfo, RequestLike } from '../model/types.js';
import { tokenFingerprint } from './fingerprint.js';
import { createHostWatch } from './host-origin.js';
import { isFrameworkDefault } from './framework-logger.js';
import { createDecisionLog } from './logger.js';
import type { PrmkitLogger } from '../model/logger.js';
import type { DecisionReason } from '../model/reasons.js';
import { receivedValues } from './token-facts.js';
import type { ReceivedValues } from '../model/authorize-types.js';
import type { DecisionObserver, DecisionTrace } from '../model/observer.js';

/** Who hears about decisions, and what they are compared against. */
export interface DecisionObserverOptions {
  readonly resource: string;
  readonly expected: Omit<ExpectedValues, 'scopes'>;
  readonly onDecision: ((decision: AuthorizeDecision) => void) | undefined;
  readonly logger: PrmkitLogger | undefined;
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
    ...(trace.certificate !== undefined && { clientCertificate: trace.certificate }),
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
