import type { AuthorizeDecision, ResourceServerConfig } from '@prmkit/core';
import { recordDecisions } from './decision-listener.js';
import { instrumentsFor, type OpenTelemetryOptions } from './instruments.js';
import { countingFetch } from './upstream-fetch.js';

/**
 * `config` instrumented: every decision recorded as by `otelDecisionListener` (after your
 * own `onDecision`, if any), and every request to the authorization server (JWKS,
 * discovery, introspection) counted with its failures, through the `fetch` prmkit uses.
 *
 * @example
 * ```ts
 * import { withOpenTelemetry } from '@prmkit/otel';
 * const rs = createResourceServer(withOpenTelemetry({ resource, authorizationServers }));
 * ```
 * @see RFC 8414 §3, RFC 7662 §2 (the upstream requests counted)
 */
export function withOpenTelemetry(
  config: ResourceServerConfig,
  options: OpenTelemetryOptions = {},
): ResourceServerConfig {
  const instruments = instrumentsFor(options);
  const record = recordDecisions(instruments, options.includeSubject === true);
  const own = config.onDecision;
  const onDecision = own
    ? (d: AuthorizeDecision) => {
        own(d);
        record(d);
      }
    : record;
  const fetchImpl = config.fetch ?? globalThis.fetch.bind(globalThis);
  return {
    ...config,
    onDecision,
    fetch: countingFetch(fetchImpl, config.introspection?.endpoint, instruments),
  };
}
