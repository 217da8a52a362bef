import { sameUrl } from '@prmkit/core/http';
import {
  pickChallenge,
  protectedResourceMetadataCandidates,
  readChallenges,
  resourceMetadataProblems,
} from '@prmkit/client';
import type { DiscoveryStep, MetadataProblem, UrlPolicy } from '@prmkit/client';
import { extraRequest } from '../extra-request.js';
import { jsonObject } from '../recorder.js';
import type { Exchange, Recorder } from '../recorder.js';
import type { Check, StepReport } from '../types.js';
import { fail, pass, quote, skip, warn } from './check.js';
import { secureWord, urlMemberProblems } from './urls.js';

const MCP_DISCOVERY = 'MCP 2025-11-25 authorization (protected resource metadata discovery)';
const CONTENT_CHECKS = [
  'resource_metadata.resource',
  'resource_metadata.authorization_servers',
  'resource_metadata.https',
  'resource_metadata.scopes_supported',
  'resource_metadata.bearer_methods_supported',
  'resource_metadata.certificate_bound_tokens',
  'resource_metadata.resource_name',
] as const;
const URL_MEMBERS = [
  'resource',
  'jwks_uri',
  'resource_documentation',
  'resource_policy_uri',
  'resource_tos_uri',
] as const;
const BEARER_METHODS = new Set(['header', 'body', 'query']);
const PROBE_ORIGIN = 'https://prmkit-inspect.invalid';

export interface ResourceMetadataInput {
  readonly serverUrl: URL;
  readonly probe: Exchange | undefined;
  /** Every step discovery recorded. */
  readonly steps: readonly DiscoveryStep[];
  /** Why discovery stopped, if it did. */
  readonly stoppedBecause: string | undefined;
  readonly recorder: Recorder;
  readonly policy: UrlPolicy;
  readonly timeoutMs: number;
}

export interface ResourceMetadataFacts {
  readonly step: StepReport;
  /** The document received (even when it was rejected). */
  readonly document: Record<string, unknown> | undefined;
}

/**
 * Checks where and how the protected resource metadata is served (status, content type,
 * Cache-Control, CORS, path-aware and root locations) and what it says (`resource`
 * identical to the URL, `authorization_servers`, https URLs, recommended members). Reads
 * what discovery fetched; makes its own requests only for CORS and the other location.
 *
 * @see RFC 9728 §2, §3.1, §3.2, §3.3
 */
export async function checkResourceMetadata(
  input: ResourceMetadataInput,
): Promise<ResourceMetadataFacts> {
  const { serverUrl, steps, recorder } = input;
  const checks: Check[] = [];
  const prmSteps = steps.filter((s) => s.step === 'resource_metadata');
  const title = 'Protected resource metadata';
  const decidedIndex = prmSteps.findIndex((s) => s.outcome !== 'miss');
  const decided = prmSteps[decidedIndex];

  if (prmSteps.length === 0) {
    const why = input.stoppedBecause ?? 'not reached';
    checks.push(
      skip(
        'resource_metadata.found',
        `not fetched: discovery stopped before this step (${why})`,
        MCP_DISCOVERY,
      ),
    );
    return { step: { id: 'resource_metadata', title, checks }, document: undefined };
  }
  if (!decided) {
    const tried = prmSteps
      .map((s) => `${s.url} (${s.status ?? s.detail ?? 'no answer'})`)
      .join(', ');
    checks.push(
      fail(
        'resource_metadata.found',
        `no protected resource metadata found; tried ${tried}`,
        `RFC 9728 §3.1; ${MCP_DISCOVERY}`,
      ),
    );
    return { step: { id: 'resource_metadata', title, checks }, document: undefined };
  }

  // The candidates discovery tried, in its order, with the identifier each must declare.
  const challengeUrl = input.probe?.headers
    ? pickChallenge(readChallenges(input.probe.headers))?.resourceMetadata
    : undefined;
  const candidates = [
    ...(challengeUrl === undefined
      ? []
      : [
          {
            url: decidedUrlOf(challengeUrl, serverUrl),
            resource: serverUrl.href,
            via: "the challenge's resource_metadata",
          },
        ]),
    ...protectedResourceMetadataCandidates(serverUrl).map((c, i, all) => ({
      ...c,
      via:
        i === all.length - 1
          ? 'the root well-known location'
          : 'the path-aware well-known location',
    })),
  ];
  const candidate = candidates[decidedIndex];
  const exchange = recorder.find(decided.url);
  const misses =
    decidedIndex > 0 ? ` after ${decidedIndex} miss${decidedIndex > 1 ? 'es' : ''}` : '';
  checks.push(
    pass(
      'resource_metadata.found',
      `found at ${decided.url} via ${candidate?.via ?? 'discovery'}${misses}`,
      'RFC 9728 §3.1',
    ),
  );

  const document = jsonObject(exchange);
  checks.push(responseCheck(decided, exchange, document));
  if (!document) {
    for (const id of CONTENT_CHECKS)
      checks.push(skip(id, 'no JSON document to check', 'RFC 9728 §2'));
    return { step: { id: 'resource_metadata', title, subject: decided.url, checks }, document };
  }

  // The client's own rules (what discover() refuses), each reported under its member's check.
  const expected = candidate?.resource ?? serverUrl.href;
  const problems = resourceMetadataProblems(document, {
    ...input.policy,
    expectedResource: expected,
  });
  checks.push(resourceCheck(document, problems, expected, serverUrl));
  checks.push(authorizationServersCheck(document, problems));
  checks.push(httpsCheck(document, input.policy));
  checks.push(scopesCheck(document, problems));
  checks.push(bearerMethodsCheck(document));
  checks.push(certificateBoundCheck(document));
  checks.push(
    typeof document['resource_name'] === 'string' && document['resource_name'] !== ''
      ? pass(
          'resource_metadata.resource_name',
          `resource_name ${quote(document['resource_name'])}`,
          'RFC 9728 §2',
        )
      : warn(
          'resource_metadata.resource_name',
          'no resource_name (RECOMMENDED, shown to users on consent)',
          'RFC 9728 §2',
        ),
  );
  checks.push(cacheControlCheck(exchange));
  checks.push(await corsCheck(decided.url, input));
  checks.push(...(await locationChecks(decided.url, candidates, input)));
  return { step: { id: 'resource_metadata', title, subject: decided.url, checks }, document };
}

function decidedUrlOf(value: string, base: URL): string {
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
}

function responseCheck(
  step: DiscoveryStep,
  exchange: Exchange | undefined,
  document: Record<string, unknown> | undefined,
): Check {
  const id = 'resource_metadata.response';
  const status = exchange?.status ?? step.status;
  if (status !== 200)
    return fail(
      id,
      `answered ${status ?? step.detail ?? 'nothing'}, 200 expected`,
      'RFC 9728 §3.2',
    );
  const type = exchange?.headers?.get('content-type') ?? '';
  if (type.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    return fail(id, `content type ${quote(type)}, application/json required`, 'RFC 9728 §3.2');
  }
  if (!document) return fail(id, 'the body is not a JSON object', 'RFC 9728 §3.2');
  return pass(id, '200 with an application/json object', 'RFC 9728 §3.2');
}

function resourceCheck(
  document: Record<string, unknown>,
  problems: readonly MetadataProblem[],
  expected: string,
  serverUrl: URL,
): Check {
  const id = 'resource_metadata.resource';
  const problem = problems.find((p) => p.member === 'resource');
  if (problem) return fail(id, problem.message, problem.see);
  const resource = String(document['resource']);
  if (expected !== serverUrl.href) {
    return warn(
      id,
      `only the root location answered, so the metadata describes ${quote(resource)}, not ${quote(serverUrl.href)}; tokens will carry the origin as audience`,
      'RFC 9728 §3.1, §3.3',
    );
  }
  return pass(id, `resource is identical to the URL ${quote(resource)}`, 'RFC 9728 §3.3');
}

function authorizationServersCheck(
  document: Record<string, unknown>,
  problems: readonly MetadataProblem[],
): Check {
  const id = 'resource_metadata.authorization_servers';
  // Whether each issuer may be fetched is judged in its own step (authorization_server.https).
  const problem = problems.find(
    (p) => p.member === 'authorization_servers' && p.verdict === 'invalid',
  );
  if (problem) return fail(id, problem.message, problem.see);
  const list = document['authorization_servers'] as readonly string[];
  return pass(
    id,
    `${list.length} authorization server${list.length > 1 ? 's' : ''}: ${list.map((v) => quote(v)).join(', ')}`,
    'RFC 9728 §2',
  );
}

function httpsCheck(document: Record<string, unknown>, policy: UrlPolicy): Check {
  const id = 'resource_metadata.https';
  const problems = urlMemberProblems(document, URL_MEMBERS, policy);
  // authorization_servers are judged in their own step (authorization_server.https).
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return fail(id, `${problems[0] ?? ''}${more}`, 'RFC 9728 §1.2, §2');
  }
  return pass(
    id,
    `resource and every other URL member are ${secureWord(policy)}`,
    'RFC 9728 §1.2, §2',
  );
}

function scopesCheck(
  document: Record<string, unknown>,
  problems: readonly MetadataProblem[],
): Check {
  const id = 'resource_metadata.scopes_supported';
  const problem = problems.find((p) => p.member === 'scopes_supported');
  if (problem) return fail(id, problem.message, problem.see);
  const scopes = document['scopes_supported'];
  if (scopes === undefined)
    return warn(
      id,
      'no scopes_supported (RECOMMENDED): clients cannot tell which scopes to request',
      'RFC 9728 §2',
    );
  return pass(id, `scopes_supported ${quote(scopes)}`, 'RFC 9728 §2');
}

function bearerMethodsCheck(document: Record<string, unknown>): Check {
  const id = 'resource_metadata.bearer_methods_supported';
  const methods = document['bearer_methods_supported'];
  if (methods === undefined)
    return pass(id, 'not listed: the Authorization header is assumed', 'RFC 9728 §2');
  if (
    !Array.isArray(methods) ||
    !methods.every((m) => typeof m === 'string' && BEARER_METHODS.has(m))
  ) {
    return fail(
      id,
      `bearer_methods_supported must list "header", "body" or "query", got ${quote(methods)}`,
      'RFC 9728 §2',
    );
  }
  if (methods.includes('query')) {
    return warn(
      id,
      'lists "query": MCP forbids access tokens in the URI query string',
      'MCP 2025-11-25 authorization (access token usage)',
    );
  }
  return pass(id, `bearer_methods_supported ${quote(methods)}`, 'RFC 9728 §2');
}

/** Whether the server says it enforces certificate-bound tokens (RFC 8705). */
function certificateBoundCheck(document: Record<string, unknown>): Check {
  const id = 'resource_metadata.certificate_bound_tokens';
  const value = document['tls_client_certificate_bound_access_tokens'];
  if (value === undefined || value === false)
    return pass(
      id,
      'certificate-bound tokens not advertised (RFC 8705: default false)',
      'RFC 9728 §2',
    );
  if (value !== true)
    return fail(
      id,
      `tls_client_certificate_bound_access_tokens must be a boolean, got ${quote(value)}`,
      'RFC 9728 §2',
    );
  return pass(
    id,
    'advertises certificate-bound tokens: a token bound to a client certificate (cnf x5t#S256) is accepted only with that certificate (--cert/--key)',
    'RFC 8705 §3, RFC 9728 §2',
  );
}

function cacheControlCheck(exchange: Exchange | undefined): Check {
  const id = 'resource_metadata.cache_control';
  const value = exchange?.headers?.get('cache-control');
  if (!value)
    return warn(
      id,
      'no Cache-Control: clients cache by heuristics or refetch every time',
      'RFC 9111 §5.2',
    );
  return pass(id, `Cache-Control ${quote(value)}`, 'RFC 9111 §5.2');
}

/** A browser-based client can read the metadata: CORS on GET and a working preflight. */
async function corsCheck(url: string, input: ResourceMetadataInput): Promise<Check> {
  const id = 'resource_metadata.cors';
  const spec = 'WHATWG Fetch §3.2 (CORS protocol)';
  const get = await extraRequest(
    input.recorder,
    url,
    { headers: { accept: 'application/json', origin: PROBE_ORIGIN } },
    input.timeoutMs,
  );
  const allowed = get.headers?.get('access-control-allow-origin');
  if (allowed !== '*' && allowed !== PROBE_ORIGIN) {
    return warn(
      id,
      'no Access-Control-Allow-Origin on GET: browser-based clients cannot read the metadata',
      spec,
    );
  }
  const preflight = await extraRequest(
    input.recorder,
    url,
    {
      method: 'OPTIONS',
      headers: {
        origin: PROBE_ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'mcp-protocol-version',
      },
    },
    input.timeoutMs,
  );
  const ok = preflight.status !== undefined && preflight.status >= 200 && preflight.status < 300;
  const preflightOrigin = preflight.headers?.get('access-control-allow-origin');
  if (!ok || (preflightOrigin !== '*' && preflightOrigin !== PROBE_ORIGIN)) {
    return warn(
      id,
      `GET allows any origin, but the preflight with MCP-Protocol-Version is refused (${preflight.status ?? preflight.error ?? 'no answer'})`,
      spec,
    );
  }
  return pass(
    id,
    `readable cross-origin (Access-Control-Allow-Origin ${quote(allowed)}, preflight ${preflight.status})`,
    spec,
  );
}

/** The path-aware location serves the document; the root location, if served, is consistent. */
async function locationChecks(
  decidedUrl: string,
  candidates: readonly { url: string; resource: string; via: string }[],
  input: ResourceMetadataInput,
): Promise<Check[]> {
  const { serverUrl } = input;
  const wellKnown = protectedResourceMetadataCandidates(serverUrl);
  const pathAware = wellKnown.length === 2 ? wellKnown[0] : undefined;
  const root = wellKnown[wellKnown.length - 1];
  const checks: Check[] = [];
  const target = pathAware ?? root;
  if (target) {
    const id = 'resource_metadata.well_known';
    const spec = `RFC 9728 §3.1; ${MCP_DISCOVERY}`;
    if (target.url === decidedUrl) {
      // Found right there; what the document says is judged by the other checks.
      checks.push(pass(id, `served at the well-known location ${target.url}`, spec));
      return [...checks, ...(await rootCheck(decidedUrl, pathAware, root, input))];
    }
    const ex = await fetchLocation(target.url, input);
    const doc = ex.status === 200 ? jsonObject(ex) : undefined;
    if (doc && sameResource(doc['resource'], serverUrl.href)) {
      checks.push(pass(id, `the well-known location ${target.url} serves it`, spec));
    } else if (decidedUrl === candidates[0]?.url && candidates[0].via.includes('challenge')) {
      checks.push(
        warn(
          id,
          `${target.url} answers ${ex.status ?? ex.error ?? 'nothing'} with no matching document: only clients that read resource_metadata find the metadata`,
          spec,
        ),
      );
    }
  }
  return [...checks, ...(await rootCheck(decidedUrl, pathAware, root, input))];
}

/** For a resource with a path: the root location, if it serves metadata, is consistent. */
async function rootCheck(
  decidedUrl: string,
  pathAware: { url: string } | undefined,
  root: { url: string } | undefined,
  input: ResourceMetadataInput,
): Promise<Check[]> {
  const { serverUrl } = input;
  const checks: Check[] = [];
  // Found only at the root: resource_metadata.resource already says what that means.
  if (pathAware && root && root.url !== decidedUrl) {
    const id = 'resource_metadata.root';
    const ex = await fetchLocation(root.url, input);
    const doc = ex.status === 200 ? jsonObject(ex) : undefined;
    if (!doc) {
      checks.push(
        skip(
          id,
          `the root location ${root.url} serves no metadata (${ex.status ?? ex.error ?? 'no answer'}); optional`,
          'RFC 9728 §3.1',
        ),
      );
    } else if (
      sameResource(doc['resource'], serverUrl.href) ||
      sameResource(doc['resource'], serverUrl.origin)
    ) {
      checks.push(
        pass(
          id,
          `the root location ${root.url} also serves metadata (resource ${quote(doc['resource'])})`,
          'RFC 9728 §3.1',
        ),
      );
    } else {
      checks.push(
        warn(
          id,
          `the root location ${root.url} describes ${quote(doc['resource'])}, neither this URL nor its origin`,
          'RFC 9728 §3.3',
        ),
      );
    }
  }
  return checks;
}

async function fetchLocation(url: string, input: ResourceMetadataInput): Promise<Exchange> {
  // Reuse what discovery already fetched; otherwise one GET of our own.
  return input.recorder.find(url) ?? extraRequest(input.recorder, url, {}, input.timeoutMs);
}

/** A `resource` member that is a string naming the same URL as `expected`. */
function sameResource(value: unknown, expected: string): boolean {
  return typeof value === 'string' && sameUrl(value, expected);
}
