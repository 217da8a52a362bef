import { readChallenges } from './challenges.js';
import type { AuthChallenge } from './challenges.js';
import type { DiscoveryResult, DiscoveryStep } from './discover-types.js';
import { ClientError } from './errors.js';
import type { ClientErrorCode } from './errors.js';
import { DEFAULT_TIMEOUT_MS, maxAgeSeconds, requestJson } from './http.js';
import type { HttpPolicy, JsonResponse } from './http.js';
import type { MetadataCache } from './metadata-cache.js';
import type { AuthorizationServerMetadata, ProtectedResourceMetadata } from './metadata-types.js';
import { assertUrlPolicy, requireSafeUrl } from './url-policy.js';
import { authorizationServerMetadataProblems } from './validation/authorization-server-metadata.js';
import type { MetadataProblem } from './validation/metadata-problem.js';
import { resourceMetadataProblems } from './validation/resource-metadata.js';
import { applySignedMetadata } from './signed-metadata.js';
import type { MetadataSigner, SignedMetadataPolicy } from './signed-metadata-types.js';
import {
  authorizationServerMetadataUrls,
  protectedResourceMetadataCandidates,
} from './well-known.js';

/** Options of {@link discover}. */
export interface DiscoverOptions extends HttpPolicy {
  /**
   * A response already received from `serverUrl` (typically the 401). Discovery then reads
   * its challenges instead of sending its own unauthenticated request.
   */
  readonly probeResponse?: Response;
  /**
   * Picks the authorization server among the PRM's `authorization_servers` (all already
   * checked to be safe URLs). Default: the first.
   * @see RFC 9728 §7.6
   */
  readonly selectAuthorizationServer?: (
    issuers: readonly string[],
    metadata: ProtectedResourceMetadata,
  ) => string;
  /** Reuses and stores validated results. */
  readonly cache?: MetadataCache;
  /**
   * Trusted signers of `signed_metadata` and where it is required (RFC 9728 §2.2). Default:
   * a document's `signed_metadata` is not checked and its plain values are used.
   */
  readonly signedMetadata?: SignedMetadataPolicy;
}

/**
 * A discovery failure; `steps` shows how far it got.
 *
 * @example
 * ```ts
 * try { await discover(url); } catch (e) { if (e instanceof DiscoveryError) console.table(e.steps); }
 * ```
 * @see RFC 9728 §3.3
 */
export class DiscoveryError extends ClientError {
  readonly steps: readonly DiscoveryStep[];
  constructor(error: ClientError, steps: readonly DiscoveryStep[]) {
    super(error.code, error.message, {
      cause: error.cause,
      ...(error.oauthError === undefined ? {} : { oauthError: error.oauthError }),
      ...(error.status === undefined ? {} : { status: error.status }),
    });
    this.name = 'DiscoveryError';
    this.steps = steps;
  }
}

/**
 * Finds out where and how to get a token for `serverUrl`, knowing nothing else: sends an
 * unauthenticated request, reads every Bearer/DPoP challenge, fetches the protected
 * resource metadata (`resource_metadata`, else the path-aware well-known URL, else the root
 * one), insists its `resource` is exactly the identifier it was fetched for, picks an
 * authorization server and fetches its metadata (RFC 8414 / OpenID Connect, insisting on an
 * identical `issuer`). A 4xx or network failure is a miss and the next URL is tried; a 5xx,
 * an invalid document or a mismatch stops discovery with a `DiscoveryError`: nothing falls
 * back to a guessed server.
 *
 * @example
 * ```ts
 * import { discover } from '@prmkit/client';
 * const result = await discover('https://mcp.example.com/mcp');
 * result.issuer;                                   // 'https://auth.example.com'
 * result.authorizationServerMetadata.token_endpoint;
 * for (const s of result.steps) console.log(s.step, s.url, s.status, s.outcome, `${s.ms}ms`);
 * ```
 * @see RFC 9728 §3, §3.3, §5.1; RFC 8414 §3; MCP 2025-11-25 authorization (discovery)
 */
export async function discover(
  serverUrl: string | URL,
  options: DiscoverOptions = {},
): Promise<DiscoveryResult> {
  const steps: DiscoveryStep[] = [];
  try {
    return await runDiscovery(serverUrl, options, steps);
  } catch (error) {
    if (error instanceof DiscoveryError) throw error;
    if (error instanceof ClientError) throw new DiscoveryError(error, steps);
    throw error;
  }
}

async function runDiscovery(
  serverUrlInput: string | URL,
  options: DiscoverOptions,
  steps: DiscoveryStep[],
): Promise<DiscoveryResult> {
  assertUrlPolicy(options);
  const serverUrl = requireSafeUrl(serverUrlInput, 'server URL', {
    ...options,
    source: 'configured',
  });
  serverUrl.hash = '';
  const challenges = await probe(serverUrl, options, steps);
  const challenge = pickChallenge(challenges);

  const cached = options.cache?.get(serverUrl.href);
  if (
    cached &&
    (challenge?.resourceMetadata === undefined ||
      challenge.resourceMetadata === cached.resourceMetadataUrl)
  ) {
    steps.push({
      step: 'resource_metadata',
      url: cached.resourceMetadataUrl,
      status: undefined,
      outcome: 'cached',
      ms: 0,
    });
    return {
      ...cached,
      challenges,
      scopes: selectScopes(challenge, cached.resourceMetadata),
      steps,
    };
  }
  // A new resource_metadata URL invalidates what we knew (rule: metadata changed).
  if (cached) options.cache?.delete(serverUrl.href);

  const prm = await fetchResourceMetadata(serverUrl, challenge, options, steps);
  // validateResourceMetadata: a non-empty list of safe issuer URLs.
  const issuers = prm.document.authorization_servers as readonly string[];
  const issuer = options.selectAuthorizationServer?.(issuers, prm.document) ?? issuers[0];
  if (typeof issuer !== 'string' || !issuers.includes(issuer)) {
    fail(
      'resource_metadata_invalid',
      'selectAuthorizationServer returned an issuer the metadata does not list',
    );
  }
  const as = await fetchAuthorizationServerMetadata(issuer, options, steps);

  const result: DiscoveryResult = {
    serverUrl: serverUrl.href,
    challenges,
    resource: prm.document.resource,
    resourceMetadataUrl: prm.url,
    resourceMetadata: prm.document,
    ...(prm.signer ? { resourceMetadataSigner: prm.signer } : {}),
    issuer,
    authorizationServerMetadataUrl: as.url,
    authorizationServerMetadata: as.document,
    scopes: selectScopes(challenge, prm.document),
    steps,
  };
  options.cache?.set(serverUrl.href, result, [prm.ttl, as.ttl]);
  return result;
}

/**
 * The challenge that drives discovery: the first `Bearer` one, else the first `DPoP` one
 * ({@link readChallenges} keeps only those two schemes), else `undefined`.
 *
 * @example
 * ```ts
 * const res = await fetch('https://mcp.example.com/mcp');
 * const challenge = pickChallenge(readChallenges(res.headers));
 * challenge?.resourceMetadata; // the RFC 9728 metadata URL, when the server sent one
 * ```
 * @see RFC 6750 §3, RFC 9449 §7.1, RFC 9728 §5.1
 */
export function pickChallenge(challenges: readonly AuthChallenge[]): AuthChallenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges[0];
}

/**
 * Scopes to request: the challenge's `scope`, else the PRM's `scopes_supported`, else none.
 *
 * @example
 * ```ts
 * const scopes = selectScopes(pickChallenge(challenges), resourceMetadata);
 * // ['mcp:tools'] for `Bearer scope="mcp:tools"`, else resourceMetadata.scopes_supported
 * ```
 * @see MCP 2025-11-25 authorization (scope selection strategy); RFC 6750 §3
 */
export function selectScopes(
  challenge: AuthChallenge | undefined,
  metadata: ProtectedResourceMetadata,
): readonly string[] | undefined {
  if (challenge?.scope && challenge.scope.length > 0) return challenge.scope;
  const supported = metadata.scopes_supported;
  if (
    Array.isArray(supported) &&
    supported.length > 0 &&
    supported.every((s) => typeof s === 'string')
  ) {
    return supported;
  }
  return undefined;
}

function fail(code: ClientErrorCode, message: string, status?: number): never {
  throw new ClientError(code, message, status === undefined ? {} : { status });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - start };
}

async function probe(
  serverUrl: URL,
  options: DiscoverOptions,
  steps: DiscoveryStep[],
): Promise<AuthChallenge[]> {
  let response = options.probeResponse;
  let ms = 0;
  if (!response) {
    const start = Date.now();
    const headers: Record<string, string> = { accept: 'application/json, text/event-stream' };
    if (options.protocolVersion) headers['mcp-protocol-version'] = options.protocolVersion;
    try {
      response = await (options.fetch ?? globalThis.fetch)(serverUrl, {
        method: 'GET',
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
      await response.body?.cancel().catch(() => undefined);
    } catch (cause) {
      // The resource may still publish metadata at its well-known URLs.
      steps.push({
        step: 'probe',
        url: serverUrl.href,
        status: undefined,
        outcome: 'miss',
        detail: String(cause),
        ms: Date.now() - start,
      });
      return [];
    }
    ms = Date.now() - start;
  }
  const challenges =
    response.status === 401 || response.status === 403 ? readChallenges(response.headers) : [];
  steps.push({
    step: 'probe',
    url: serverUrl.href,
    status: response.status,
    outcome: challenges.length > 0 || response.status === 401 ? 'challenge' : 'unprotected',
    ms,
  });
  return challenges;
}

interface Fetched<T> {
  readonly url: string;
  readonly document: T;
  readonly ttl: number | undefined;
  readonly signer?: MetadataSigner | undefined;
}

/** Runs one metadata request and classifies it: a 200 answer, miss (4xx, network) or error. */
async function fetchDocument(
  step: DiscoveryStep['step'],
  url: URL,
  options: DiscoverOptions,
  steps: DiscoveryStep[],
): Promise<{ res: JsonResponse; doc: unknown } | 'miss'> {
  const headers: Record<string, string> = {};
  if (options.protocolVersion) headers['mcp-protocol-version'] = options.protocolVersion;
  const start = Date.now();
  let res: JsonResponse;
  try {
    res = (await timed(() => requestJson(url, { headers }, options))).value;
  } catch (error) {
    const ms = Date.now() - start;
    if (
      error instanceof ClientError &&
      (error.code === 'fetch_failed' || error.code === 'fetch_timeout')
    ) {
      steps.push({
        step,
        url: url.href,
        status: undefined,
        outcome: 'miss',
        detail: error.code,
        ms,
      });
      return 'miss';
    }
    const code = error instanceof ClientError ? error.code : 'fetch_failed';
    steps.push({ step, url: url.href, status: undefined, outcome: 'rejected', detail: code, ms });
    throw error;
  }
  const ms = Date.now() - start;
  if (res.status >= 400 && res.status < 500) {
    steps.push({ step, url: url.href, status: res.status, outcome: 'miss', ms });
    return 'miss';
  }
  if (res.status !== 200) {
    steps.push({ step, url: url.href, status: res.status, outcome: 'error', ms });
    fail('upstream_error', `${url.href} answered ${res.status}`, res.status);
  }
  steps.push({ step, url: url.href, status: res.status, outcome: 'ok', ms });
  // Whether the body is a usable document (a JSON object among others) is the validators' call.
  return { res, doc: res.json };
}

async function fetchResourceMetadata(
  serverUrl: URL,
  challenge: AuthChallenge | undefined,
  options: DiscoverOptions,
  steps: DiscoveryStep[],
): Promise<Fetched<ProtectedResourceMetadata>> {
  const candidates: { url: URL; resource: string }[] = [];
  if (challenge?.resourceMetadata !== undefined) {
    // RFC 9728 §3.3: fetched via the challenge, `resource` must be the URL we requested.
    candidates.push({
      url: requireSafeUrl(challenge.resourceMetadata, 'resource_metadata', {
        ...options,
        source: 'handed-over',
      }),
      resource: serverUrl.href,
    });
  }
  for (const c of protectedResourceMetadataCandidates(serverUrl)) {
    candidates.push({
      url: requireSafeUrl(c.url, 'well-known URL', { ...options, source: 'configured' }),
      resource: c.resource,
    });
  }
  for (const candidate of candidates) {
    const got = await fetchDocument('resource_metadata', candidate.url, options, steps);
    if (got === 'miss') continue;
    // RFC 9728 §3.3: a mismatch discards the document; nothing falls back to a guessed server.
    refuseOnProblem(
      steps,
      candidate.url.href,
      resourceMetadataProblems(got.doc, { ...options, expectedResource: candidate.resource }),
    );
    const { document, signer } = await applySignedMetadata(
      got.doc as Record<string, unknown>,
      candidate.resource,
      options.signedMetadata,
      options,
      steps,
    );
    // Verified signed values are the document now (RFC 9728 §2.2): the same rules hold.
    if (signer) {
      refuseOnProblem(
        steps,
        candidate.url.href,
        resourceMetadataProblems(document, { ...options, expectedResource: candidate.resource }),
      );
    }
    return { url: candidate.url.href, document, ttl: maxAgeSeconds(got.res.headers), signer };
  }
  fail(
    'resource_metadata_not_found',
    `no protected resource metadata found for ${serverUrl.href} (tried ${candidates.map((c) => c.url.href).join(', ')})`,
  );
}

async function fetchAuthorizationServerMetadata(
  issuer: string,
  options: DiscoverOptions,
  steps: DiscoveryStep[],
): Promise<Fetched<AuthorizationServerMetadata>> {
  const issuerUrl = requireSafeUrl(issuer, 'issuer', { ...options, source: 'handed-over' });
  const urls = authorizationServerMetadataUrls(issuerUrl);
  for (const href of urls) {
    const url = new URL(href);
    const got = await fetchDocument('authorization_server_metadata', url, options, steps);
    if (got === 'miss') continue;
    // PKCE is judged when an authorization request is built: a client_credentials client needs none.
    refuseOnProblem(
      steps,
      href,
      authorizationServerMetadataProblems(got.doc, {
        ...options,
        expectedIssuer: issuer,
        pkce: 'checked-by-authorization-request',
      }),
    );
    return {
      url: href,
      document: got.doc as AuthorizationServerMetadata,
      ttl: maxAgeSeconds(got.res.headers),
    };
  }
  fail(
    'authorization_server_metadata_not_found',
    `no authorization server metadata found for issuer ${issuer} (tried ${urls.join(', ')})`,
  );
}

/** Records why the last fetched document was refused, and throws its first problem. */
function refuseOnProblem(
  steps: DiscoveryStep[],
  url: string,
  problems: readonly MetadataProblem[],
): void {
  const [problem] = problems;
  if (!problem) return;
  markLast(steps, problem.verdict === 'refused' ? 'rejected' : 'error', problem.message);
  fail(problem.code, `${url}: ${problem.message} (${problem.see})`);
}

function markLast(steps: DiscoveryStep[], outcome: DiscoveryStep['outcome'], detail: string): void {
  const last = steps.pop();
  if (last) steps.push({ ...last, outcome, detail });
}
