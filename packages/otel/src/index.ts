// @prmkit/otel — OpenTelemetry for @prmkit/core decisions. @opentelemetry/api is a peer.
export { otelDecisionListener } from './decision-listener.js';
export { withOpenTelemetry } from './with-open-telemetry.js';
export type { OpenTelemetryOptions } from './instruments.js';
export { ATTR } from './attributes.js';
export { UPSTREAM_KIND, type UpstreamKind } from './upstream-fetch.js';
