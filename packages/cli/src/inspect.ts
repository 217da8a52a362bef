import { DiscoveryError, discover } from '@prmkit/client';
import { PrmkitError } from '@prmkit/core';
import type { DiscoveryResult, DiscoveryStep } from '@prmkit/client';
import { checkAuthorizationServer } from './checks/authorization-server.js';
import { fail, pass, skip, warn } from './checks/check.js';
import { checkChallenge } from './checks/challenge.js';
import { checkResourceMetadata } from './checks/resource-metadata.js';
import { checkSignedMetadata } from './checks/signed-metadata.js';
import { checkGetProbe } from './checks/get-probe.js';
import { checkTokenCall } from './checks/token-call.js';
import { transportNote, urlProblem } from './checks/urls.js';
import type { CliErrorCode } from './errors.js';
import { extraRequest } from './extra-request.js';
import { INITIALIZE, PROTOCOL_VERSION, mcpPostHeaders } from './mcp-initialize.js';
import { Recorder } from './recorder.js';
import type { Exchange } from './recorder.js';
import type { Check, InspectOptions, Report, RequestRecord, StepId, StepReport } from './types.js';
import { PACKAGE_NAME, packageVersion } from './version.js';

/**
 * Default per-request timeout of {@link inspect}, in milliseconds (10 s); override it with
 * `options.timeoutMs` or `prmkit inspect --timeout <ms>`.
 *
 * @example
 * ```ts
 * const report = await inspect('https://mcp.example.com/mcp', { timeoutMs: 2 * DEFAULT_TIMEOUT_MS });
 * ```
 * @see RFC 9728 §3.1 and RFC 8414 §3.1 (the metadata requests it bounds)
 */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The URL given to {@link inspect} is not an absolute http(s) URL, or carries credentials:
 * a usage error (exit code 2, `code` `'url_invalid'`), thrown before any request is made. Problems of the server
 * itself never throw; they are `fail` checks in the report.
 *
 * @example
 * ```ts
 * try {
 *   await inspect('ftp://mcp.example.com/mcp');
 * } catch (error) {
 *   if (error instanceof InspectUsageError) process.exitCode = EXIT.usage;
 *   else throw error;
 * }
 * ```
 * @see RFC 9728 §1.2 (resource identifiers are https URLs)
 */
export class InspectUsageError extends PrmkitError<CliErrorCode> {
  override readonly name = 'InspectUsageError';
  constructor(message: string) {
    super('url_invalid', message);
  }
}

/** Authorization servers checked at most (each one is a discovery run of its own). */
const MAX_AUTHORIZATION_SERVERS = 10;

interface Run {
  readonly steps: readonly DiscoveryStep[];
  readonly result: DiscoveryResult | undefined;
  readonly error: DiscoveryError | undefined;
}

const STEP_OF: Record<DiscoveryStep['step'], StepId> = {
  probe: 'challenge',
  resource_metadata: 'resource_metadata',
  authorization_server_metadata: 'authorization_server',
};

/**
 * Checks the whole discovery chain of a protected MCP server (or any OAuth-protected
 * resource) against the specs: the 401 challenge, the protected resource metadata, each
 * authorization server's metadata and, with a token, a real call. Walks the chain with
 * `@prmkit/client`'s `discover()`, recording every response for the checks. Never throws
 * for what the server does wrong: every problem is a `fail` check in the report.
 *
 * @example
 * ```ts
 * import { inspect } from '@prmkit/cli';
 * const report = await inspect('https://mcp.example.com/mcp');
 * if (!report.ok) {
 *   for (const step of report.steps)
 *     for (const c of step.checks) if (c.status === 'fail') console.log(c.id, c.reason, c.spec);
 * }
 * ```
 * @throws InspectUsageError when `url` is not an absolute http(s) URL.
 * @see RFC 9728 §3, §5.1; RFC 6750 §3; RFC 8414 §3; MCP 2025-11-25 authorization
 */
export async function inspect(url: string | URL, options: InspectOptions = {}): Promise<Report> {
  const started = Date.now();
  const serverUrl = parseServerUrl(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = { allowHttp: options.allowHttp, allowPrivateNetwork: options.allowPrivateNetwork };
  const recorder = new Recorder(options.fetch ?? globalThis.fetch, (ex) =>
    options.onProgress?.({ type: 'request', request: toRecord(ex) }),
  );
  const steps: StepReport[] = [];
  const emit = (step: StepReport): void => {
    steps.push(step);
    options.onProgress?.({ type: 'step', step });
  };

  const transportProblem = urlProblem(serverUrl.href, policy, 'configured');
  if (transportProblem) {
    const reason = `the server URL ${transportProblem}`;
    emit({
      id: 'challenge',
      title: 'Challenge',
      subject: serverUrl.href,
      checks: [
        fail(
          'challenge.https',
          reason,
          'MCP 2025-11-25 authorization (communication security); OAuth 2.1 §1.5',
        ),
      ],
    });
    emit({
      id: 'resource_metadata',
      title: 'Protected resource metadata',
      checks: [
        skip('resource_metadata.found', 'not fetched over an insecure transport', 'RFC 9728 §3'),
      ],
    });
    emit(serverSkipped('not fetched over an insecure transport', 'RFC 8414 §3'));
    emit(
      await checkTokenCall({
        serverUrl,
        token: options.token,
        refusedBecause: 'the server URL is not https',
        recorder,
        timeoutMs,
      }),
    );
    return buildReport(url, started, steps, recorder.exchanges);
  }

  const discoverOptions = {
    fetch: recorder.fetch,
    timeoutMs,
    ...policy,
    protocolVersion: PROTOCOL_VERSION,
  };
  // Probe as an MCP client does: its first request is an initialize POST. GET (the
  // optional server-to-client stream) is probed too, and judged on its own.
  const get = await extraRequest(
    recorder,
    serverUrl.href,
    {
      headers: {
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': PROTOCOL_VERSION,
      },
    },
    timeoutMs,
  );
  const probe = await extraRequest(
    recorder,
    serverUrl.href,
    { method: 'POST', headers: mcpPostHeaders(), body: INITIALIZE },
    timeoutMs,
  );
  const probeResponse = asResponse(probe);
  const primary = await runDiscovery(() =>
    discover(serverUrl, { ...discoverOptions, ...(probeResponse ? { probeResponse } : {}) }),
  );

  // 1. The challenge.
  const challenge = checkChallenge(probe, policy);
  emit({
    id: 'challenge',
    title: 'Challenge',
    subject: serverUrl.href,
    checks: [
      pass(
        'challenge.https',
        `the server URL uses ${transportNote(serverUrl.href)}`,
        'OAuth 2.1 §1.5',
      ),
      ...challenge.checks,
      checkGetProbe(get),
    ],
  });

  // 2. The protected resource metadata.
  const prm = await checkResourceMetadata({
    serverUrl,
    probe,
    steps: primary.steps,
    stoppedBecause: primary.error?.message,
    recorder,
    policy,
    timeoutMs,
  });
  const signature = prm.document
    ? await checkSignedMetadata({
        document: prm.document,
        expectedResource:
          typeof prm.document['resource'] === 'string' ? prm.document['resource'] : serverUrl.href,
        trust: options.trustJwks,
        policy,
        fetch: recorder.fetch,
        timeoutMs,
      })
    : [];
  emit({ ...prm.step, checks: [...prm.step.checks, ...signature] });

  // 3. Each authorization server. discover() picks the first; the others get a run of their own.
  const listed = prm.document?.['authorization_servers'];
  const issuers = Array.isArray(listed)
    ? listed.filter((v): v is string => typeof v === 'string')
    : [];
  if (issuers.length === 0) {
    emit(serverSkipped('no authorization server listed to check', 'RFC 9728 §2'));
  }
  const reachedServers = primary.steps.some((s) => s.step === 'authorization_server_metadata');
  // Each server costs a discovery run of its own: a hostile list must not make it endless.
  for (const [i, issuer] of issuers.slice(0, MAX_AUTHORIZATION_SERVERS).entries()) {
    let run = primary;
    if (i > 0 && reachedServers && urlProblem(issuer, policy) === undefined) {
      const probeResponse = asResponse(probe);
      run = await runDiscovery(() =>
        discover(serverUrl, {
          ...discoverOptions,
          ...(probeResponse ? { probeResponse } : {}),
          selectAuthorizationServer: () => issuer,
        }),
      );
    }
    const reached = i === 0 || reachedServers;
    const step = checkAuthorizationServer({
      issuer,
      steps: reached ? run.steps : [],
      stoppedBecause: run.error?.message,
      recorder,
      policy,
    });
    // A run of its own that stopped in this step must explain itself here.
    emit(
      i > 0 && run !== primary && stoppedIn(run) === 'authorization_server'
        ? withSafetyNet(step, run.error)
        : step,
    );
  }

  if (issuers.length > MAX_AUTHORIZATION_SERVERS) {
    emit({
      id: 'authorization_server',
      title: 'Other authorization servers',
      checks: [
        warn(
          'authorization_server.count',
          `${issuers.length - MAX_AUTHORIZATION_SERVERS} more authorization servers listed; only the first ${MAX_AUTHORIZATION_SERVERS} are checked`,
          'RFC 9728 §2, §7.6',
        ),
      ],
    });
  }

  // 4. The call with a token.
  emit(
    await checkTokenCall({
      serverUrl,
      token: options.token,
      refusedBecause: undefined,
      recorder,
      timeoutMs,
    }),
  );

  // Discovery stopped, yet no check failed: say where and why, so that a broken chain
  // never reports success.
  if (primary.error && !steps.some((s) => s.checks.some((c) => c.status === 'fail'))) {
    const at = stoppedIn(primary);
    const index = Math.max(
      0,
      steps.findIndex((s) => s.id === at),
    );
    const target = steps[index];
    if (target) steps[index] = withSafetyNet(target, primary.error);
  }
  return buildReport(url, started, steps, recorder.exchanges);
}

/** The authorization server step when no server can be checked. */
function serverSkipped(reason: string, spec: string): StepReport {
  return {
    id: 'authorization_server',
    title: 'Authorization server',
    checks: [skip('authorization_server.metadata', reason, spec)],
  };
}

function stoppedIn(run: Run): StepId {
  return STEP_OF[run.steps[run.steps.length - 1]?.step ?? 'probe'];
}

function parseServerUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InspectUsageError(`not an absolute URL: ${String(url)}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InspectUsageError(`not an http(s) URL: ${parsed.protocol}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new InspectUsageError('the URL must not carry credentials');
  }
  parsed.hash = '';
  return parsed;
}

/** A recorded answer as a `Response` for discovery (no body), or `undefined` when none came. */
function asResponse(exchange: Exchange): Response | undefined {
  if (exchange.status === undefined || !exchange.headers) return undefined;
  try {
    return new Response(null, { status: exchange.status, headers: exchange.headers });
  } catch {
    return undefined; // a status a Response cannot carry: discovery probes on its own
  }
}

async function runDiscovery(run: () => Promise<DiscoveryResult>): Promise<Run> {
  try {
    const result = await run();
    return { steps: result.steps, result, error: undefined };
  } catch (error) {
    if (error instanceof DiscoveryError) return { steps: error.steps, result: undefined, error };
    throw error;
  }
}

/** Adds a FAIL naming discovery's own reason, unless the step already has a FAIL. */
function withSafetyNet(step: StepReport, error: DiscoveryError | undefined): StepReport {
  if (!error || step.checks.some((c) => c.status === 'fail')) return step;
  const check: Check = fail(
    `${step.id}.discovery`,
    `discovery stops here: ${error.message} (${error.code})`,
    'RFC 9728 §7; MCP 2025-11-25 authorization',
  );
  return { ...step, checks: [...step.checks, check] };
}

function toRecord(ex: Exchange): RequestRecord {
  const status = ex.status ?? null;
  return ex.error === undefined
    ? { method: ex.method, url: ex.url, status, ms: ex.ms }
    : { method: ex.method, url: ex.url, status, ms: ex.ms, error: ex.error };
}

function buildReport(
  url: string | URL,
  started: number,
  steps: readonly StepReport[],
  exchanges: readonly Exchange[],
): Report {
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const step of steps) for (const c of step.checks) summary[c.status] += 1;
  return {
    schemaVersion: 1,
    tool: { name: PACKAGE_NAME, version: packageVersion() },
    url: String(url),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    ok: summary.fail === 0,
    summary,
    steps,
    requests: exchanges.map(toRecord),
  };
}
