import type { AuthorizeDecision } from '@prmkit/core';
import { outcomeOf } from '@prmkit/core/adapter';
import type { Attributes } from '@opentelemetry/api';

/**
 * Attribute names of the spans and metrics: `prmkit.*` for the decision and the values
 * compared, OpenTelemetry's HTTP semantic conventions for the request.
 *
 * @example
 * ```ts
 * span.attributes[ATTR.reason]; // 'audience_mismatch'
 * ```
 * @see RFC 6750 §3.1 (the reasons), RFC 9068 §4 (the values compared)
 */
export const ATTR = {
  outcome: 'prmkit.decision.outcome',
  reason: 'prmkit.decision.reason',
  cacheHit: 'prmkit.token_cache.hit',
  /** mTLS on: where the client certificate came from (`tls`, `header`, `none`). */
  clientCertificate: 'prmkit.mtls.client_certificate',
  fingerprint: 'prmkit.token.fingerprint',
  clientId: 'prmkit.client_id',
  subject: 'prmkit.subject',
  expectedIssuers: 'prmkit.expected.issuers',
  expectedAudience: 'prmkit.expected.audience',
  expectedScopes: 'prmkit.expected.scopes',
  receivedIssuer: 'prmkit.received.issuer',
  receivedAudience: 'prmkit.received.audience',
  receivedScopes: 'prmkit.received.scopes',
  receivedTyp: 'prmkit.received.typ',
  receivedAlg: 'prmkit.received.alg',
  receivedKid: 'prmkit.received.kid',
  status: 'http.response.status_code',
  method: 'http.request.method',
  route: 'url.path',
} as const;

function put(target: Attributes, key: string, value: string | readonly string[] | undefined) {
  if (value !== undefined) target[key] = typeof value === 'string' ? value : [...value];
}

/** Every attribute of a decision span: what was compared, never the token. */
export function decisionAttributes(d: AuthorizeDecision, includeSubject: boolean): Attributes {
  const a: Attributes = {
    [ATTR.outcome]: outcomeOf(d.status),
    [ATTR.reason]: d.reason ?? 'granted',
    [ATTR.status]: d.status,
    [ATTR.method]: d.method,
    [ATTR.route]: d.path,
    [ATTR.cacheHit]: d.cacheHit,
    [ATTR.expectedIssuers]: [...d.expected.issuers],
    [ATTR.expectedAudience]: d.expected.audience,
    [ATTR.expectedScopes]: [...d.expected.scopes],
  };
  put(a, ATTR.fingerprint, d.tokenFingerprint);
  put(a, ATTR.clientCertificate, d.clientCertificate);
  put(a, ATTR.clientId, d.clientId ?? d.received?.clientId);
  if (includeSubject) put(a, ATTR.subject, d.subject);
  put(a, ATTR.receivedIssuer, d.received?.issuer);
  put(a, ATTR.receivedAudience, d.received?.audience);
  put(a, ATTR.receivedScopes, d.received?.scopes);
  put(a, ATTR.receivedTyp, d.received?.typ);
  put(a, ATTR.receivedAlg, d.received?.alg);
  put(a, ATTR.receivedKid, d.received?.kid);
  return a;
}
