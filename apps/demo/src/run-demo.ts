import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createServerReasons } from './server-reasons.js';
import { createAuthFetch } from '@prmkit/client';
import { followAuthorizationRedirects } from '@prmkit/testing';
import type { AuthorizationServerChoice } from './args.js';
import {
  startDemoAuthorizationServer,
  type DemoAuthorizationServer,
} from './authorization-servers.js';
import { explainError } from './explain-error.js';
import { newFlowFacts, type FlowFacts } from './flow-facts.js';
import { loadStartServer, type Framework } from './frameworks.js';
import { FlowObserver, type Fetch } from './observe.js';
import { Reporter, type OutputSink } from './reporter.js';
import { Resources } from './resources.js';
import { createStyle } from './style.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  readonly framework: Framework;
  /** Where the narration goes (process.stdout, or a buffer in tests). */
  readonly out: OutputSink;
  readonly color: boolean;
  /**
   * Use this authorization server (issuer URL) instead of starting the local one. It must
   * approve without a user; mostly for showing what a failure looks like.
   */
  readonly issuer?: string;
  /** Which authorization server to start when no `issuer` is given. Default `local`. */
  readonly authorizationServer?: AuthorizationServerChoice;
  /** DPoP (RFC 9449): the MCP server requires it and the client binds its tokens. */
  readonly dpop?: boolean;
  /** Aborting stops the flow and closes everything (SIGINT). */
  readonly signal?: AbortSignal;
  /** Upper bound for the whole flow. Default 90 s. */
  readonly timeoutMs?: number;
  /** Underlying fetch of the client. Default `globalThis.fetch`. */
  readonly fetch?: Fetch;
}

/** The outcome: `ok`, what was observed, and a readable reason when not ok. */
export interface DemoResult {
  readonly ok: boolean;
  readonly facts: FlowFacts;
  readonly reason?: string;
  readonly ms: number;
}

/** A failure whose message is already meant for the person watching. */
class DemoFailure extends Error {
  override readonly name = 'DemoFailure';
}

const REDIRECT_URI = 'http://127.0.0.1:8976/callback';
const ECHO_TEXT = 'hello from prmkit';

/**
 * Runs the whole zero-config flow once and narrates it: starts the local authorization
 * server (auto-approve) and the chosen example MCP server on free loopback ports, then
 * connects the official MCP SDK client through `@prmkit/client` knowing only the MCP URL,
 * lists the tools and calls echo, whoami and admin_stats (step-up). Never throws: failures
 * come back as `{ ok: false, reason }`. Always closes what it started.
 *
 * @example
 * ```ts
 * const result = await runDemo({ framework: 'hono', out: process.stdout, color: false });
 * process.exitCode = result.ok ? 0 : 1;
 * ```
 * @see RFC 9728 §5, RFC 8414 §3, RFC 7591 §3, RFC 7636 §4, RFC 8707 §2, RFC 6750 §3.1
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const style = createStyle(options.color);
  const reporter = new Reporter(options.out, style);
  const facts = newFlowFacts();
  const resources = new Resources();
  const elapsed = (): number => Math.round(performance.now() - started);

  reporter.line(
    `${style.bold('prmkit demo')} ${style.dim('·')} MCP server on ${style.bold(style.cyan(options.framework))} ${style.dim(
      '· zero-config OAuth: the client is told nothing but the URL',
    )}`,
  );
  // Aborted when the run ends for any reason, so a flow that lost the race stops early.
  const stop = new AbortController();
  try {
    await withLimits(flow(options, reporter, facts, resources, stop.signal), options);
    reporter.line();
    printSummary(reporter, facts, options.framework, elapsed());
    return { ok: true, facts, ms: elapsed() };
  } catch (error) {
    const reason = error instanceof DemoFailure ? error.message : explainError(error);
    reporter.mute();
    reporter.final(`\n${style.red(style.bold('✘ Demo failed:'))} ${reason}`);
    return { ok: false, facts, reason, ms: elapsed() };
  } finally {
    stop.abort();
    // Bounded, so a stuck server cannot hang the exit.
    for (const failure of await resources.closeAll()) reporter.final(style.dim(`   (${failure})`));
  }
}

async function flow(
  options: DemoOptions,
  reporter: Reporter,
  facts: FlowFacts,
  resources: Resources,
  stop: AbortSignal,
): Promise<void> {
  const s = reporter.style;
  reporter.section('Start local services', 'free loopback ports');

  let issuer = options.issuer;
  let started: DemoAuthorizationServer | undefined;
  if (issuer === undefined) {
    const choice = options.authorizationServer ?? 'local';
    try {
      started = await startDemoAuthorizationServer(choice, REDIRECT_URI);
      resources.add('the authorization server', () => (started as DemoAuthorizationServer).close());
      stop.throwIfAborted();
      issuer = started.issuer;
      reporter.ok(
        `authorization server   ${s.bold(started.url)} ${s.dim(`(${started.description})`)}`,
      );
    } catch (error) {
      const what = choice === 'glewlwyd' ? 'Glewlwyd' : 'the authorization server';
      throw new DemoFailure(`could not start ${what}: ${explainError(error)}`);
    }
  } else {
    reporter.line(
      `   ${s.dim('•')} authorization server   ${s.bold(issuer)} ${s.dim('(given with --issuer, not started by the demo)')}`,
    );
  }

  let url: string;
  const serverReasons = createServerReasons();
  try {
    const startServer = await loadStartServer(options.framework);
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      issuer,
      logger: serverReasons.logger,
      ...(options.dpop ? { dpop: 'required' as const } : {}),
    });
    resources.add(`the ${options.framework} server`, () => server.close());
    stop.throwIfAborted();
    url = server.url;
    await started?.allowResource(server.resource);
    reporter.ok(
      `MCP server (${options.framework})${' '.repeat(Math.max(1, 9 - options.framework.length))}${s.bold(server.url)}`,
    );
  } catch (error) {
    throw new DemoFailure(
      `could not start the ${options.framework} MCP server: ${explainError(error)}`,
    );
  }
  reporter.line(`   ${s.dim('The MCP client below is given only')} ${s.bold(url)}`);

  const observer = new FlowObserver({
    reporter,
    mcpUrl: url,
    facts,
    serverReasons,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const authFetch = createAuthFetch({
    fetch: observer.fetch,
    allowHttp: 'loopback',
    timeoutMs: 10_000,
    redirectUri: REDIRECT_URI,
    // No person here: the AS approves on its own (or its login API is driven); a real app
    // would open a browser.
    openAuthorizationUrl:
      started?.login(observer.fetch) ??
      followAuthorizationRedirects({ redirectUri: REDIRECT_URI, fetch: observer.fetch }),
    clientMetadata: { client_name: 'prmkit demo' },
    ...(options.dpop ? { dpop: 'when-supported' as const } : {}),
  });
  const client = new Client({ name: 'prmkit-demo', version: '0.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: authFetch });
  resources.add('the MCP client', () => client.close());

  stop.throwIfAborted();
  await client.connect(transport);
  const info = client.getServerVersion();
  reporter.ok(
    `connected: MCP initialize succeeded${info ? ` ${s.dim(`(server ${info.name} ${info.version})`)}` : ''}`,
  );

  stop.throwIfAborted();
  observer.section('tools/list');
  const { tools } = await client.listTools();
  for (const tool of tools) reporter.detail(tool.name, s.dim(tool.description ?? ''));
  const names = tools.map((t) => t.name);
  for (const expected of ['echo', 'whoami', 'admin_stats']) {
    if (!names.includes(expected))
      throw new DemoFailure(`the server does not list the "${expected}" tool`);
  }
  reporter.ok(`${tools.length} tools`);

  stop.throwIfAborted();
  observer.section('tools/call echo', `{ text: "${ECHO_TEXT}" }`);
  const echoed = textOf(
    await client.callTool({ name: 'echo', arguments: { text: ECHO_TEXT } }),
    'echo',
  );
  if (echoed !== ECHO_TEXT)
    throw new DemoFailure(`echo returned ${JSON.stringify(echoed)}, expected "${ECHO_TEXT}"`);
  reporter.ok(`echo → ${s.green(JSON.stringify(echoed))}`);

  stop.throwIfAborted();
  observer.section('tools/call whoami', 'what the server verified from the token');
  const who = parseObject(
    textOf(await client.callTool({ name: 'whoami', arguments: {} }), 'whoami'),
  );
  for (const [key, value] of Object.entries(who)) {
    reporter.detail(key, Array.isArray(value) ? value.join(' ') : String(value));
  }
  reporter.ok('whoami answered with the verified identity');

  stop.throwIfAborted();
  observer.section(
    'tools/call admin_stats',
    'needs mcp:admin, which the first token does not have',
  );
  const stats = textOf(
    await client.callTool({ name: 'admin_stats', arguments: {} }),
    'admin_stats',
  );
  if (facts.stepUps.length === 0)
    throw new DemoFailure('admin_stats succeeded without a step-up: is mcp:admin enforced?');
  reporter.ok(`admin_stats → ${s.green(shorten(stats, 100))}`);
}

function textOf(result: unknown, tool: string): string {
  const r = result as { content?: { type?: string; text?: string }[]; isError?: boolean };
  const text = (r.content ?? [])
    .filter((c) => c.type === 'text')
    .map((c) => c.text ?? '')
    .join('\n');
  if (r.isError === true) throw new DemoFailure(`the ${tool} tool reported an error: ${text}`);
  return text;
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { result: text };
}

const shorten = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

function printSummary(reporter: Reporter, facts: FlowFacts, framework: string, ms: number): void {
  const s = reporter.style;
  const kinds = facts.exchanges.map((e) => e.kind);
  const count = (kind: string): number => kinds.filter((k) => k === kind).length;
  reporter.line(
    `${s.green(s.bold('✔ Done'))} in ${(ms / 1000).toFixed(1)} s ${s.dim(`· ${framework} · ${facts.exchanges.length} HTTP exchanges`)}`,
  );
  const row = (label: string, value: string): void =>
    reporter.line(`   ${s.dim(label.padEnd(16))} ${value}`);
  row('discovery', `401 challenge → ${facts.resourceMetadataUrl ?? '?'} → ${facts.issuer ?? '?'}`);
  row('registration', facts.clientId ? `dynamic (RFC 7591), client_id ${facts.clientId}` : 'none');
  row(
    'authorizations',
    `${facts.authorizations.length} (PKCE ${[...new Set(facts.authorizations.map((a) => a.method))].join(', ')})`,
  );
  facts.tokens.forEach((t, i) =>
    row(i === 0 ? 'tokens' : '', `aud ${t.audience ?? '?'}  scope "${t.scopes.join(' ')}"`),
  );
  row('tools called', 'echo, whoami, admin_stats');
  row(
    'step-up',
    facts.stepUps.length > 0
      ? `403 insufficient_scope → "${facts.stepUps[0]?.join(' ') ?? ''}" → granted`
      : 'none',
  );
  row('MCP requests', `${count('mcp')}`);
}

async function withLimits<T>(work: Promise<T>, options: DemoOptions): Promise<T> {
  const { signal } = options;
  const timeoutMs = options.timeoutMs ?? 90_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const limits = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DemoFailure(`the flow did not finish within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    onAbort = () => reject(new DemoFailure('interrupted'));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  // The losing promise may reject later (e.g. once servers close); that is expected.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, limits]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
