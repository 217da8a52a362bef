import type { AuthorizeDecision } from '@prmkit/core';
import { outcomeOf } from '@prmkit/core/adapter';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { decisionAttributes, ATTR } from './attributes.js';
import { instrumentsFor, type Instruments, type OpenTelemetryOptions } from './instruments.js';

/**
 * An `onDecision` hook that records each decision: a span `prmkit.authorize` (a child of
 * the active span, e.g. the HTTP server span, spanning the decision's own time) with the
 * reason and the values compared, and the metrics `prmkit.decisions` (by outcome and
 * reason), `prmkit.decision.duration` and `prmkit.token_cache.hits`.
 *
 * @example
 * ```ts
 * import { otelDecisionListener } from '@prmkit/otel';
 * createResourceServer({ ...config, onDecision: otelDecisionListener() });
 * ```
 * @see RFC 6750 §3.1 (the reasons recorded)
 */
export function otelDecisionListener(
  options: OpenTelemetryOptions = {},
): (decision: AuthorizeDecision) => void {
  return recordDecisions(instrumentsFor(options), options.includeSubject === true);
}

export function recordDecisions(
  instruments: Instruments,
  includeSubject: boolean,
): (decision: AuthorizeDecision) => void {
  return (d) => {
    const end = Date.now();
    const span = instruments.tracer.startSpan('prmkit.authorize', {
      kind: SpanKind.INTERNAL,
      startTime: end - d.durationMs,
      attributes: decisionAttributes(d, includeSubject),
    });
    // A refusal is the decision working, not an error; an outage is one.
    if (d.status === 503) span.setStatus({ code: SpanStatusCode.ERROR, message: d.reason });
    span.end(end);
    const labels = { [ATTR.outcome]: outcomeOf(d.status), [ATTR.reason]: d.reason ?? 'granted' };
    instruments.decisions.add(1, labels);
    instruments.duration.record(d.durationMs, {
      [ATTR.outcome]: labels[ATTR.outcome],
      [ATTR.cacheHit]: d.cacheHit,
    });
    if (d.cacheHit) instruments.cacheHits.add(1);
  };
}
