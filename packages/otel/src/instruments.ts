import { metrics, trace, type Meter, type Tracer } from '@opentelemetry/api';

/** Where spans and metrics go. */
export interface OpenTelemetryOptions {
  /** Default: `trace.getTracer('@prmkit/otel')` (the global provider). */
  readonly tracer?: Tracer;
  /** Default: `metrics.getMeter('@prmkit/otel')` (the global provider). */
  readonly meter?: Meter;
  /** Put the verified `sub` on spans (`prmkit.subject`). Default false: it is personal data. */
  readonly includeSubject?: boolean;
}

export const SCOPE_NAME = '@prmkit/otel';

/** The metric instruments, created once per listener. */
export function instrumentsFor(options: OpenTelemetryOptions) {
  const meter = options.meter ?? metrics.getMeter(SCOPE_NAME);
  return {
    tracer: options.tracer ?? trace.getTracer(SCOPE_NAME),
    decisions: meter.createCounter('prmkit.decisions', {
      description: 'Authorization decisions, by outcome and reason',
    }),
    duration: meter.createHistogram('prmkit.decision.duration', {
      description: 'Time spent deciding (verification included)',
      unit: 'ms',
    }),
    cacheHits: meter.createCounter('prmkit.token_cache.hits', {
      description: 'Decisions answered by the verified-token cache',
    }),
    upstreamRequests: meter.createCounter('prmkit.upstream.requests', {
      description: 'Requests to the authorization server (jwks, discovery, introspection)',
    }),
    upstreamFailures: meter.createCounter('prmkit.upstream.failures', {
      description: 'Failed requests to the authorization server (network, timeout, not 2xx)',
    }),
  };
}

export type Instruments = ReturnType<typeof instrumentsFor>;
