import { createTestIssuer, type TestIssuer } from '@prmkit/testing';
import { createResourceServer } from '@prmkit/core';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ATTR, otelDecisionListener, UPSTREAM_KIND, withOpenTelemetry } from '../src/index.js';

const RESOURCE = 'http://127.0.0.1:4000/mcp';
let issuer: TestIssuer;
let spans: InMemorySpanExporter;
let tracerProvider: BasicTracerProvider;
let metricExporter: InMemoryMetricExporter;
let meterProvider: MeterProvider;
let reader: PeriodicExportingMetricReader;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  issuer = await createTestIssuer({ audience: RESOURCE, scope: 'mcp:tools', alg: 'ES256' });
});
afterAll(async () => {
  context.disable();
  await issuer.close();
});
beforeEach(() => {
  spans = new InMemorySpanExporter();
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 60_000,
  });
  meterProvider = new MeterProvider({ readers: [reader] });
});

const otel = () => ({
  tracer: tracerProvider.getTracer('test'),
  meter: meterProvider.getMeter('test'),
});
const get = (token?: string) => ({
  method: 'GET',
  url: '/mcp',
  headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
});

/** Data points of one metric, after a flush. */
async function points(name: string) {
  await reader.forceFlush();
  const all: ResourceMetrics[] = metricExporter.getMetrics();
  const last = all.at(-1);
  const metric = last?.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === name);
  return metric?.dataPoints ?? [];
}

function server(extra: Record<string, unknown> = {}) {
  return createResourceServer(
    withOpenTelemetry(
      {
        resource: RESOURCE,
        authorizationServers: [issuer.issuer],
        allowHttp: 'loopback',
        requiredScopes: ['mcp:tools'],
        jwt: { jwksUri: issuer.jwksUri },
        httpTimeout: 500,
        ...extra,
      },
      otel(),
    ),
  );
}

describe('@prmkit/otel with the real OpenTelemetry SDK', () => {
  it('one span per decision, with the reason and the values compared, never the token', async () => {
    const rs = server();
    const good = await issuer.mint({ client_id: 'c-1' });
    await rs.authorize(get(good));
    await rs.authorize(get(await issuer.mint({ aud: 'https://elsewhere.example/mcp' })));
    const finished = spans.getFinishedSpans();
    expect(finished.map((s) => s.name)).toEqual(['prmkit.authorize', 'prmkit.authorize']);
    const [granted, refused] = finished;
    expect(granted!.attributes).toMatchObject({
      [ATTR.outcome]: 'granted',
      [ATTR.reason]: 'granted',
      [ATTR.status]: 200,
      [ATTR.clientId]: 'c-1',
      [ATTR.cacheHit]: false,
      [ATTR.receivedAlg]: 'ES256',
    });
    expect(granted!.attributes[ATTR.subject]).toBeUndefined();
    expect(refused!.attributes).toMatchObject({
      [ATTR.outcome]: 'refused',
      [ATTR.reason]: 'audience_mismatch',
      [ATTR.expectedAudience]: RESOURCE,
      [ATTR.receivedAudience]: ['https://elsewhere.example/mcp'],
      [ATTR.status]: 401,
    });
    expect(JSON.stringify(finished.map((s) => s.attributes))).not.toContain(good);
  });

  it('the span is a child of the active span (e.g. the HTTP server span)', async () => {
    const rs = createResourceServer({
      resource: RESOURCE,
      authorizationServers: [issuer.issuer],
      allowHttp: 'loopback',
      jwt: { jwksUri: issuer.jwksUri },
      onDecision: otelDecisionListener(otel()),
    });
    const tracer = tracerProvider.getTracer('http');
    const parent = tracer.startSpan('GET /mcp');
    await context.with(trace.setSpan(context.active(), parent), () => rs.authorize(get()));
    parent.end();
    const child = spans.getFinishedSpans().find((s) => s.name === 'prmkit.authorize');
    expect(child?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
  });

  it('metrics: decisions by outcome and reason, latency, cache hits', async () => {
    const rs = server();
    const token = await issuer.mint();
    await rs.authorize(get(token));
    await rs.authorize(get(token));
    await rs.authorize(get());
    const decisions = await points('prmkit.decisions');
    const byReason = Object.fromEntries(
      decisions.map((p) => [String(p.attributes[ATTR.reason]), p.value]),
    );
    expect(byReason).toEqual({ granted: 2, token_missing: 1 });
    const hits = await points('prmkit.token_cache.hits');
    expect(hits[0]?.value).toBe(1);
    const latency = await points('prmkit.decision.duration');
    const count = latency.reduce((n, p) => n + (p.value as { count: number }).count, 0);
    expect(count).toBe(3);
  });

  it('metrics: JWKS requests and failures; an outage span is an error', async () => {
    const down = await createTestIssuer({ audience: RESOURCE, alg: 'ES256' });
    try {
      const rs = server({ authorizationServers: [down.issuer], jwt: { jwksUri: down.jwksUri } });
      await rs.authorize(get(await down.mint()));
      down.setJwksMode('error500');
      // An unknown kid within the refresh cooldown: no second fetch (a 401, no failure).
      await rs.authorize(get(await down.mint({}, { kid: 'rotated' })));
      const requests = await points('prmkit.upstream.requests');
      const failures = await points('prmkit.upstream.failures');
      expect(requests.find((p) => p.attributes[UPSTREAM_KIND] === 'jwks')?.value).toBe(1);
      expect(failures).toEqual([]);
      // A server with no keys yet meets the failing JWKS: one failed fetch, a 503.
      const other = createResourceServer(
        withOpenTelemetry(
          {
            resource: RESOURCE,
            authorizationServers: [down.issuer],
            allowHttp: 'loopback',
            jwt: { jwksUri: down.jwksUri },
          },
          otel(),
        ),
      );
      const result = await other.authorize(get(await down.mint()));
      expect(!result.ok && result.status).toBe(503);
      const failed = await points('prmkit.upstream.failures');
      expect(failed.find((p) => p.attributes[UPSTREAM_KIND] === 'jwks')?.value).toBe(1);
      const outage = spans.getFinishedSpans().at(-1)!;
      expect(outage.attributes[ATTR.outcome]).toBe('unavailable');
      expect(outage.status.code).toBe(2); // SpanStatusCode.ERROR
    } finally {
      await down.close();
    }
  });

  it('keeps your own onDecision', async () => {
    const seen: string[] = [];
    const rs = server({ onDecision: (d: { reason?: string }) => seen.push(d.reason ?? 'granted') });
    await rs.authorize(get());
    expect(seen).toEqual(['token_missing']);
    expect(spans.getFinishedSpans()).toHaveLength(1);
  });
});
