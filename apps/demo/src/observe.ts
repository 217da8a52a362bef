import { boundKeyThumbprint, viewDpopProof } from './dpop-view.js';
import { readChallenges } from '@prmkit/client';
import type { ServerReasons } from './server-reasons.js';
import type { FlowFacts, ExchangeKind } from './flow-facts.js';
import { redact, viewAccessToken } from './jwt-view.js';
import type { Reporter } from './reporter.js';

/** The WHATWG fetch signature. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

interface Endpoints {
  registration?: string;
  authorization?: string;
  token?: string;
  asOrigin?: string;
}

const SECTION_TITLES: Record<Exclude<ExchangeKind, 'mcp' | 'other'>, [string, string]> = {
  'resource-metadata': ['Protected resource metadata', 'RFC 9728'],
  'as-metadata': ['Authorization server metadata', 'RFC 8414'],
  registration: ['Client registration', 'RFC 7591 dynamic registration'],
  authorization: ['Authorization with PKCE', 'RFC 7636 S256, RFC 8707 resource indicator'],
  token: ['Token', 'authorization code → JWT access token (RFC 9068)'],
};

const withoutQuery = (url: URL): string => `${url.origin}${url.pathname}`;
const shorten = (text: string, max = 72): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/**
 * Wraps `fetch` so that every exchange the client makes is shown as it happens, named from
 * its URL and status: the wrapper learns the endpoints from the metadata documents that pass
 * through it, exactly as the client does. It never changes a request or a response, and
 * never prints a token, code or secret (only their claims or length).
 */
export class FlowObserver {
  readonly facts: FlowFacts;
  readonly #reporter: Reporter;
  readonly #mcpUrl: string;
  readonly #base: Fetch;
  readonly #endpoints: Endpoints = {};
  #lastKind: ExchangeKind | undefined;
  #stepUpPending = false;
  #lastBearer: string | undefined;
  readonly #serverReasons: ServerReasons | undefined;
  #approvalShown = false;
  #authorizationState: string | undefined;

  constructor(options: {
    reporter: Reporter;
    mcpUrl: string;
    facts: FlowFacts;
    fetch?: Fetch;
    serverReasons?: ServerReasons;
  }) {
    this.#serverReasons = options.serverReasons;
    this.#reporter = options.reporter;
    this.#mcpUrl = withoutQuery(new URL(options.mcpUrl));
    this.#base = options.fetch ?? globalThis.fetch;
    this.facts = options.facts;
  }

  /** Opens a numbered section for the next MCP exchanges (tools/list, a tool call...). */
  section(title: string, note?: string): void {
    this.#reporter.section(title, note);
    this.#lastKind = 'mcp';
  }

  /** The fetch to hand to the client as its underlying transport. */
  readonly fetch: Fetch = async (input, init) => {
    const request = await describeRequest(input, init);
    const kind = this.#classify(request.url);
    this.#openSection(kind, request);
    const started = performance.now();
    let response: Response;
    try {
      response = await this.#base(input, init);
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      this.#reporter.exchange(
        request.method,
        this.#target(request.url),
        'network error',
        ms,
        request.label,
      );
      this.#reporter.note(describeNetworkError(error, request.url));
      this.facts.exchanges.push({
        kind,
        method: request.method,
        url: request.url.href,
        status: undefined,
      });
      throw error;
    }
    const ms = Math.round(performance.now() - started);
    this.facts.exchanges.push({
      kind,
      method: request.method,
      url: request.url.href,
      status: response.status,
    });
    this.#reporter.exchange(
      request.method,
      this.#target(request.url),
      response.status,
      ms,
      request.label,
    );
    try {
      await this.#explain(kind, request, response);
    } catch {
      // Narration must never break the flow it narrates.
    }
    return response;
  };

  #classify(url: URL): ExchangeKind {
    const bare = withoutQuery(url);
    if (bare === this.#mcpUrl) return 'mcp';
    if (url.pathname.startsWith('/.well-known/oauth-protected-resource'))
      return 'resource-metadata';
    if (
      url.pathname.includes('/.well-known/oauth-authorization-server') ||
      url.pathname.includes('/.well-known/openid-configuration')
    ) {
      return 'as-metadata';
    }
    const ep = this.#endpoints;
    if (bare === ep.registration) return 'registration';
    if (bare === ep.token) return 'token';
    if (bare === ep.authorization) return 'authorization';
    // The login/consent hops of the authorization server (auto-approved here).
    if (url.origin === ep.asOrigin && this.#lastKind === 'authorization') return 'authorization';
    return 'other';
  }

  #openSection(kind: ExchangeKind, request: RequestView): void {
    if (kind === this.#lastKind) return;
    this.#lastKind = kind;
    if (kind === 'other') return;
    if (kind === 'mcp') {
      const hasToken = request.headers.has('authorization');
      if (!hasToken)
        this.#reporter.section('Request without a token', 'the client knows only the MCP URL');
      else if (this.facts.tokens.length > 1)
        this.#reporter.section('Retry with the stepped-up token');
      else this.#reporter.section('Retry with the access token');
      return;
    }
    if (kind === 'authorization' && this.#stepUpPending) {
      this.#stepUpPending = false;
      this.#reporter.section(
        'Step-up: authorize again with the extra scope',
        'RFC 6750 §3.1 insufficient_scope',
      );
      return;
    }
    const [title, note] = SECTION_TITLES[kind];
    this.#reporter.section(title, note);
  }

  #target(url: URL): string {
    return shorten(withoutQuery(url));
  }

  async #explain(kind: ExchangeKind, request: RequestView, response: Response): Promise<void> {
    switch (kind) {
      case 'mcp':
        return this.#explainMcp(request, response);
      case 'resource-metadata':
        return this.#explainResourceMetadata(request, response);
      case 'as-metadata':
        return this.#explainAsMetadata(response);
      case 'registration':
        return this.#explainRegistration(request, response);
      case 'authorization':
        return this.#explainAuthorization(request, response);
      case 'token':
        return this.#explainToken(request, response);
      case 'other':
        return;
    }
  }

  #explainMcp(request: RequestView, response: Response): void {
    const r = this.#reporter;
    const auth = request.headers.get('authorization');
    // Shown when a token is first used; later calls carry the same one.
    if (auth !== null && auth !== this.#lastBearer) {
      this.#lastBearer = auth;
      const [scheme = '', token = ''] = auth.split(' ');
      r.detail('Authorization', `${scheme} ${redact(token)}`);
      this.#explainProof(request);
    }
    if (response.status === 401 || response.status === 403) {
      const header = response.headers.get('www-authenticate');
      if (header !== null) r.detail('WWW-Authenticate', shorten(header, 300));
      const [challenge] = readChallenges(response.headers);
      // What the server itself logged for this refusal (its decision event).
      const why = this.#serverReasons?.take();
      if (why !== undefined) {
        r.detail("server's reason", why);
        this.facts.serverReasons.push(why);
      }
      if (response.status === 401) {
        r.note(
          challenge?.resourceMetadata
            ? 'no token: the server answers 401 and names its metadata document (RFC 9728 §5.1)'
            : 'no token: 401 without resource_metadata, the client tries the well-known URLs',
        );
      } else if (challenge?.error === 'insufficient_scope') {
        const scopes = challenge.scope ?? [];
        this.facts.stepUps.push(scopes);
        this.#stepUpPending = true;
        r.note(`valid token, but this call needs scope "${scopes.join(' ')}": the client steps up`);
      }
      return;
    }
    if (response.status === 405 && request.method === 'GET') {
      r.note('no standalone SSE stream on this server (fine: responses come on the POST)');
    }
  }

  async #explainResourceMetadata(request: RequestView, response: Response): Promise<void> {
    const doc = await readJson(response);
    if (!doc) return;
    const r = this.#reporter;
    this.facts.resourceMetadataUrl = request.url.href;
    if (typeof doc.resource === 'string') this.facts.resource = doc.resource;
    showFields(r, doc, [
      'resource',
      'authorization_servers',
      'scopes_supported',
      'bearer_methods_supported',
    ]);
    r.note('the client checks that "resource" is exactly the server it asked (RFC 9728 §3.3)');
  }

  async #explainAsMetadata(response: Response): Promise<void> {
    const doc = await readJson(response);
    if (!doc) return;
    const ep = this.#endpoints;
    if (typeof doc.issuer === 'string') {
      this.facts.issuer = doc.issuer;
      ep.asOrigin = URL.parse(doc.issuer)?.origin;
    }
    const endpoint = (name: string): string | undefined => {
      const value = doc[name];
      const url = typeof value === 'string' ? URL.parse(value) : null;
      return url ? withoutQuery(url) : undefined;
    };
    ep.registration = endpoint('registration_endpoint');
    ep.authorization = endpoint('authorization_endpoint');
    ep.token = endpoint('token_endpoint');
    showFields(this.#reporter, doc, [
      'issuer',
      'authorization_endpoint',
      'token_endpoint',
      'registration_endpoint',
      'code_challenge_methods_supported',
    ]);
    this.#reporter.note(
      '"issuer" must equal the authorization server named by the resource (RFC 8414 §3.3)',
    );
  }

  async #explainRegistration(request: RequestView, response: Response): Promise<void> {
    const r = this.#reporter;
    const sent = parseJsonText(request.bodyText);
    if (sent)
      showFields(
        r,
        sent,
        ['client_name', 'redirect_uris', 'grant_types', 'token_endpoint_auth_method'],
        'sent ',
      );
    const doc = await readJson(response);
    if (!doc) return;
    if (typeof doc.client_id === 'string') {
      this.facts.clientId = doc.client_id;
      r.detail('client_id', this.#reporter.style.green(doc.client_id));
    }
    if (typeof doc.client_secret === 'string')
      r.detail('client_secret', redact(doc.client_secret, 0));
  }

  #explainAuthorization(request: RequestView, response: Response): void {
    const r = this.#reporter;
    const s = r.style;
    const q = request.url.searchParams;
    // A login page sends the browser back to the same request (same state): one authorization.
    const again = q.has('state') && q.get('state') === this.#authorizationState;
    if (q.has('response_type') && !again) {
      this.#authorizationState = q.get('state') ?? undefined;
      this.#approvalShown = false;
      const scope = q.get('scope') ?? undefined;
      const resource = q.get('resource') ?? undefined;
      const method = q.get('code_challenge_method') ?? undefined;
      this.facts.authorizations.push({ scope, resource, method });
      r.detail('response_type', q.get('response_type') ?? '');
      r.detail('client_id', q.get('client_id') ?? '');
      r.detail('scope', s.bold(scope ?? '(none)'));
      r.detail('resource', s.bold(resource ?? '(none)'));
      r.detail('code_challenge_method', s.bold(method ?? '(none)'));
      const challenge = q.get('code_challenge');
      if (challenge)
        r.detail('code_challenge', `${challenge.slice(0, 12)}… (SHA-256 of a secret verifier)`);
      r.detail('state', q.has('state') ? 'set (checked on return)' : s.red('missing'));
    }
    const location = response.headers.get('location');
    if (location === null) return;
    const next = URL.parse(location, request.url);
    if (next?.searchParams.has('code')) {
      r.note(
        `redirected back with an authorization code ${s.dim(redact(next.searchParams.get('code') ?? '', 0))}`,
      );
      const iss = next.searchParams.get('iss');
      if (iss) r.detail('iss', `${iss} ${s.dim('(RFC 9207, checked)')}`);
    } else if (next?.searchParams.has('error')) {
      r.note(
        `authorization refused: ${next.searchParams.get('error') ?? ''} ${next.searchParams.get('error_description') ?? ''}`,
      );
    } else if (next && !this.#approvalShown) {
      this.#approvalShown = true;
      r.note(
        s.dim(
          'the browser step: login and consent, done by the demo as user alice (no person here)',
        ),
      );
    }
  }

  /** The DPoP proof of a request, when it has one (RFC 9449 §4.2). */
  #explainProof(request: RequestView): void {
    const proof = viewDpopProof(request.headers.get('dpop') ?? '');
    if (!proof) return;
    const r = this.#reporter;
    r.detail('DPoP proof', `${proof.typ ?? '?'} / ${proof.alg ?? '?'}, jti ${proof.jti ?? '?'}`);
    r.detail('  htm / htu', `${proof.htm ?? '?'} ${proof.htu ?? '?'}`);
    r.detail('  ath / nonce', `${proof.ath ? 'yes' : 'no'} / ${proof.nonce ? 'yes' : 'no'}`);
  }

  async #explainToken(request: RequestView, response: Response): Promise<void> {
    const r = this.#reporter;
    const s = r.style;
    this.#explainProof(request);
    const form = new URLSearchParams(request.bodyText ?? '');
    if (form.has('grant_type')) r.detail('grant_type', form.get('grant_type') ?? '');
    if (form.has('resource')) r.detail('resource', form.get('resource') ?? '');
    if (form.has('code_verifier'))
      r.detail('code_verifier', 'sent (proves this client started the flow)');
    const doc = await readJson(response);
    if (!doc) return;
    if (typeof doc.error === 'string') {
      r.note(
        `token refused: ${doc.error}${typeof doc.error_description === 'string' ? ` (${doc.error_description})` : ''}`,
      );
      return;
    }
    if (typeof doc.token_type === 'string') r.detail('token_type', doc.token_type);
    if (typeof doc.access_token !== 'string') return;
    r.detail('access_token', s.dim(redact(doc.access_token)));
    const view = viewAccessToken(doc.access_token);
    if (view) {
      this.facts.tokens.push(view);
      r.detail('  typ / alg', `${view.typ ?? '?'} / ${view.alg ?? '?'}`);
      r.detail('  iss', view.issuer ?? '?');
      r.detail('  aud', s.bold(s.green(view.audience ?? '?')));
      r.detail('  sub', view.subject ?? '?');
      r.detail('  client_id', view.clientId ?? '?');
      r.detail('  scope', s.bold(s.green(view.scopes.join(' ') || '(none)')));
      if (view.expiresInSeconds !== undefined)
        r.detail('  expires in', `${view.expiresInSeconds} s`);
      r.note('aud is this MCP server only: the token is useless anywhere else (RFC 8707)');
      const jkt = boundKeyThumbprint(doc.access_token);
      if (jkt !== undefined) {
        r.detail('  cnf.jkt', s.bold(s.green(jkt)));
        r.note(
          'bound to the client key: without a proof signed by it the token is refused (RFC 9449)',
        );
      }
    }
    if (typeof doc.refresh_token === 'string')
      r.detail('refresh_token', redact(doc.refresh_token, 0));
  }
}

interface RequestView {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly bodyText: string | undefined;
  /** JSON-RPC method(s) of an MCP request, e.g. `tools/call echo`. */
  readonly label: string | undefined;
}

async function describeRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<RequestView> {
  const isRequest = input instanceof Request;
  const url = new URL(isRequest ? input.url : input.toString());
  const method = (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
  const headers = new Headers(init?.headers ?? (isRequest ? input.headers : undefined));
  const body = init?.body;
  let bodyText =
    typeof body === 'string' ? body : body instanceof URLSearchParams ? body.toString() : undefined;
  if (bodyText === undefined && isRequest && input.body !== null && init?.body === undefined) {
    // A clone, so the request still carries its body to the server.
    bodyText = await input.clone().text();
  }
  return { method, url, headers, bodyText, label: jsonRpcLabel(bodyText) };
}

function jsonRpcLabel(bodyText: string | undefined): string | undefined {
  const parsed: unknown = parseJsonValue(bodyText);
  if (parsed === undefined) return undefined;
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  const labels = messages.flatMap((message) => {
    if (typeof message !== 'object' || message === null) return [];
    const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
    if (typeof method !== 'string') return [];
    return [
      method === 'tools/call' && typeof params?.name === 'string'
        ? `${method} ${params.name}`
        : method,
    ];
  });
  return labels.length > 0 ? labels.join(', ') : undefined;
}

function parseJsonValue(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseJsonText(text: string | undefined): Record<string, unknown> | undefined {
  const value = parseJsonValue(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return undefined;
  // A clone: the client reads the original, with its own size cap.
  return parseJsonText(await response.clone().text());
}

function showFields(
  r: Reporter,
  doc: Record<string, unknown>,
  names: readonly string[],
  prefix = '',
): void {
  for (const name of names) {
    const value = doc[name];
    if (value === undefined) continue;
    r.detail(
      `${prefix}${name}`,
      Array.isArray(value) ? value.map(String).join(' ') : String(value),
    );
  }
}

function describeNetworkError(error: unknown, url: URL): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code === 'ECONNREFUSED') return `nothing is listening at ${url.origin} (connection refused)`;
  if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError')
    return `${url.origin} did not answer in time`;
  return `${url.origin}: ${code ?? (error as Error).message}`;
}
