import type { AuthorizeFailure, AuthorizeOptions } from '../model/authorize-types.js';
import type { AuthorizeResult, HeaderDecision } from '../model/authorize-types.js';
import type { BearerMethod } from '../model/types.js';
import type { ResolvedDpopSetup } from '../verify/dpop/dpop-options.js';
import type { FailureLimiter } from './rate-limit.js';
import type { DecisionObserver, DecisionTrace } from '../model/observer.js';
import { CODE_TABLE, type CoreCode } from '../model/codes.js';
import { DECISION_REASONS } from '../model/reasons.js';
import {
  PrmkitError,
  TokenError,
  UPSTREAM_ERROR_CODES,
  UpstreamError,
  type UpstreamErrorCode,
} from '../model/errors.js';
import { createDpopCheck } from '../verify/dpop/dpop-check.js';
import { type ChallengeContext, refuse } from './refusal.js';
import { checkConfirmation } from '../verify/confirmation.js';
import { readClientCertificate, type ResolvedMtls } from '../verify/mtls/certificate-source.js';
import type { ClientCertificate } from '../model/client-certificate.js';
import { type MessageScopeRules, scopesForRequest } from './mcp-scopes.js';
import { buildHeaderMismatch, headerMessage, mcpHeaderMismatch } from './mcp-headers.js';
import { readMcpHeaders, type McpHeaders } from './mcp-headers.js';
import { missingScopes, unionScopes } from './scope.js';
import { extractBearerToken } from '../verify/token/index.js';
import type { AuthInfo, RequestLike, TokenVerifier } from '../model/types.js';

/** The settings the decision reads (a slice of the resolved configuration). */
export interface DecisionSettings {
  readonly resource: string;
  readonly requiredScopes: readonly string[];
  readonly bearerMethods: readonly BearerMethod[];
  readonly maxTokenLength: number;
  /** DPoP settings; `undefined` when DPoP is off. */
  readonly dpop: ResolvedDpopSetup | undefined;
  /** Certificate-bound tokens (RFC 8705); `undefined` when off. */
  readonly mtls: ResolvedMtls | undefined;
}

export interface AuthorizerDeps {
  readonly config: DecisionSettings;
  readonly verifier: TokenVerifier;
  readonly challenge: ChallengeContext;
  readonly messageRules: MessageScopeRules;
  /** Who hears about decisions; `undefined`: nobody, and no event is built. */
  readonly observer: DecisionObserver | undefined;
  /** Failure-only rate limiting, when enabled. */
  readonly limiter: FailureLimiter | undefined;
}

/**
 * The one decision: extract (RFC 6750 §2), verify (RFC 9068 / RFC 7662), check scopes,
 * and on refusal build the exact response. Never throws for an authentication failure.
 */
export function createAuthorizer(deps: AuthorizerDeps) {
  const { config, verifier, challenge, messageRules, observer, limiter } = deps;
  const readsMessages =
    messageRules.toolScopes.size > 0 || messageRules.scopesForMessage !== undefined;
  const { dpop, mtls } = config;
  const certificateBinding = mtls?.mode ?? 'off';
  const checkDpop =
    dpop &&
    createDpopCheck({ ...dpop, dpop, resource: config.resource, verifier, certificateBinding });

  const finish = (
    req: RequestLike,
    result: AuthorizeResult,
    required: readonly string[],
    started: number,
    trace: DecisionTrace,
  ): AuthorizeResult => {
    observer?.report(req, result, required, performance.now() - started, trace);
    return result;
  };

  /** The limiter's verdict on a refusal, then the report. */
  const conclude = (
    req: RequestLike,
    result: AuthorizeResult,
    required: readonly string[],
    started: number,
    trace: DecisionTrace,
  ): AuthorizeResult | Promise<AuthorizeResult> => {
    if (!limiter || result.ok) return finish(req, result, required, started, trace);
    const limited = limiter.limit(result, req.clientAddress, trace.token);
    return limited instanceof Promise
      ? limited.then((r) => finish(req, r, required, started, trace))
      : finish(req, limited, required, started, trace);
  };

  /** The decision, synchronous when no I/O is needed (no token, a bad one, a cached one). */
  function authorizeNow(
    req: RequestLike,
    options: AuthorizeOptions = {},
  ): AuthorizeResult | Promise<AuthorizeResult> {
    const started = observer ? performance.now() : 0;
    observer?.watchRequest?.(req);
    // SEP-2243: a body the decision reads must agree with the MCP headers, and that is
    // settled first (400 -32020), before any 401/403 about the scopes its tool needs.
    if (readsMessages && req.body !== undefined && isPost(req.method)) {
      const headers = readMcpHeaders(req.headers);
      const why = mcpHeaderMismatch(headers, req.body);
      // Invalid headers are refused before any body is looked at, so with `id: null`
      // whether or not the adapter parsed the body: one answer on every adapter.
      const answered = headers.invalid === undefined ? req.body : undefined;
      if (why !== undefined) return refuseMismatch(req, options, answered, why, started);
    }
    const required = unionScopes(
      config.requiredScopes,
      options.scopes,
      scopesForRequest(req.method, req.body, messageRules),
    );
    const trace: DecisionTrace = { token: undefined, cacheHit: false, scheme: 'Bearer' };
    const decided = decide(req, required, trace);
    return decided instanceof Promise
      ? decided.then((result) => conclude(req, result, required, started, trace))
      : conclude(req, decided, required, started, trace);
  }

  /** The 400 `HeaderMismatch` answer, reported (and rate limited) like any refusal. */
  function refuseMismatch(
    req: RequestLike,
    options: AuthorizeOptions,
    body: unknown,
    why: string,
    started: number,
    trace: DecisionTrace = { token: undefined, cacheHit: false, scheme: 'Bearer' },
  ): AuthorizeFailure | Promise<AuthorizeFailure> {
    const required = unionScopes(config.requiredScopes, options.scopes);
    // A refusal stays one: the limiter may only turn it into a 429.
    return conclude(req, buildHeaderMismatch(body, why), required, started, trace) as
      AuthorizeFailure | Promise<AuthorizeFailure>;
  }

  /**
   * The decision from the MCP request headers alone (SEP-2243 `Mcp-Method`, `Mcp-Name`),
   * before the body is read; `undefined` when they cannot decide (none sent, a `tools/call`
   * without `Mcp-Name`, a `scopesForMessage` hook that needs the message). A refusal is
   * final and reported. An admission is pending: `confirm(body)` compares the body, once
   * read, with the headers (400 -32020 on a mismatch) and checks the scopes the body itself
   * needs (an unreadable body needs every tool scope), then reports the one decision.
   */
  function authorizeByHeaders(
    req: RequestLike,
    options: AuthorizeOptions = {},
  ): HeaderDecision | Promise<HeaderDecision> | undefined {
    if (!readsMessages || messageRules.scopesForMessage || !isPost(req.method)) return undefined;
    const headers = readMcpHeaders(req.headers);
    const message = headerMessage(headers);
    if (message === undefined && headers.invalid === undefined) return undefined;
    const started = observer ? performance.now() : 0;
    observer?.watchRequest?.(req);
    if (message === undefined)
      return refuseMismatch(req, options, undefined, headers.invalid ?? '', started);
    const required = unionScopes(
      config.requiredScopes,
      options.scopes,
      scopesForRequest(req.method, message, messageRules),
    );
    const trace: DecisionTrace = { token: undefined, cacheHit: false, scheme: 'Bearer' };
    const pending = (result: AuthorizeResult): HeaderDecision | Promise<HeaderDecision> => {
      if (!result.ok) return conclude(req, result, required, started, trace) as HeaderDecision;
      const { auth } = result;
      return {
        pending: 'confirm_body',
        confirm: (body) => confirmBody(req, options, headers, auth, body, started, trace),
      };
    };
    const decided = decide(req, required, trace);
    return decided instanceof Promise ? decided.then(pending) : pending(decided);
  }

  function confirmBody(
    req: RequestLike,
    options: AuthorizeOptions,
    headers: McpHeaders,
    auth: AuthInfo,
    body: unknown,
    started: number,
    trace: DecisionTrace,
  ): AuthorizeResult | Promise<AuthorizeResult> {
    const why = mcpHeaderMismatch(headers, body);
    if (why !== undefined) return refuseMismatch(req, options, body, why, started, trace);
    const required = unionScopes(
      config.requiredScopes,
      options.scopes,
      scopesForRequest(req.method, body, messageRules),
    );
    return conclude(req, checkScopes(auth, required, trace.scheme), required, started, trace);
  }

  function authorize(req: RequestLike, options?: AuthorizeOptions): Promise<AuthorizeResult> {
    let decided: AuthorizeResult | Promise<AuthorizeResult>;
    try {
      decided = authorizeNow(req, options);
    } catch (e) {
      // A throwing scopesForMessage hook: a promise-returning API reports it as a rejection.
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return decided instanceof Promise ? decided : Promise.resolve(decided);
  }

  return { authorize, authorizeNow, authorizeByHeaders };

  function decide(
    req: RequestLike,
    required: readonly string[],
    trace: DecisionTrace,
  ): AuthorizeResult | Promise<AuthorizeResult> {
    let token: string;
    let certificate: ClientCertificate | undefined;
    try {
      const found = extractBearerToken(req, {
        methods: config.bearerMethods,
        maxLength: config.maxTokenLength,
        dpop: dpop !== undefined,
      });
      if (!found) {
        return refuse(
          challenge,
          new TokenError('token_missing', 'A bearer access token is required'),
          required,
        );
      }
      trace.token = found.token;
      if (mtls) {
        const reading = readClientCertificate(mtls, req);
        certificate = reading?.certificate;
        trace.certificate = reading?.source ?? 'none';
      }
      if (found.scheme === 'DPoP' && checkDpop) {
        return decideDpop(req, found.token, certificate, required, trace);
      }
      if (dpop?.mode === 'required') {
        // RFC 9449 §7.1: only DPoP is accepted here, so Bearer is an unsupported scheme.
        const error = new TokenError(
          'dpop_required',
          'this resource accepts DPoP-bound tokens only',
        );
        return refuse(challenge, error, required);
      }
      token = found.token;
    } catch (e) {
      // Another scheme (Basic, ...) is `token_missing`: no bearer credentials, the bare
      // challenge. The request's shape is a 400, the token a 401 (CODE_TABLE).
      return refuse(challenge, asPrmkitError(e, 'invalid_request'), required);
    }

    const cached = verifier.peek?.(token);
    if (cached !== undefined) {
      trace.cacheHit = true;
      return checkBearer(cached, certificate, required);
    }
    let pending: Promise<AuthInfo>;
    try {
      pending = verifier.verify(token);
    } catch (e) {
      pending = Promise.reject(e); // a verifier that throws synchronously fails closed too
    }
    return pending.then(
      (auth) => checkBearer(auth, certificate, required),
      (e: unknown) => {
        // The infrastructure failed, not the token: 503, so the client keeps its token. A
        // verifier's refusal is about the token: never the request's shape (400).
        return refuse(challenge, asTokenRefusal(asPrmkitError(e, 'verifier_failed')), required);
      },
    );
  }

  /**
   * A token presented as Bearer: never one bound to a DPoP key (RFC 9449 §7.2); one bound to
   * a certificate only with that certificate (RFC 8705 §3).
   */
  function checkBearer(
    auth: AuthInfo,
    certificate: ClientCertificate | undefined,
    required: readonly string[],
  ): AuthorizeResult | Promise<AuthorizeResult> {
    const failure = checkConfirmation(
      auth.claims,
      { dpopJkt: undefined, certificate },
      certificateBinding,
    );
    if (failure === undefined) return checkScopes(auth, required);
    if (failure instanceof Promise) {
      return failure.then((f) =>
        f === undefined ? checkScopes(auth, required) : refuse(challenge, f, required),
      );
    }
    return refuse(challenge, failure, required);
  }

  async function decideDpop(
    req: RequestLike,
    token: string,
    certificate: ClientCertificate | undefined,
    required: readonly string[],
    trace: DecisionTrace,
  ): Promise<AuthorizeResult> {
    const outcome = await (checkDpop as NonNullable<typeof checkDpop>)(req, token, certificate);
    if (outcome.ok) {
      trace.scheme = 'DPoP';
      return checkScopes(outcome.auth, required, 'DPoP');
    }
    // An UpstreamError (e.g. the jti store is down) is a 503, as on the Bearer path.
    const error = asTokenRefusal(asPrmkitError(outcome.error, 'verifier_failed'));
    return refuse(challenge, error, required, { scheme: 'DPoP', nonce: outcome.nonce });
  }

  function checkScopes(
    auth: AuthInfo,
    required: readonly string[],
    scheme: 'Bearer' | 'DPoP' = 'Bearer',
  ): AuthorizeResult {
    const missing = missingScopes(required, auth.scopes);
    if (missing.length > 0) {
      const error = new PrmkitError('insufficient_scope', `Missing scope: ${missing.join(' ')}`);
      return refuse(challenge, error, required, { scheme });
    }
    return { ok: true, auth };
  }
}

const isPost = (method: string): boolean => method === 'POST' || method.toUpperCase() === 'POST';

const REASONS: ReadonlySet<string> = new Set(DECISION_REASONS);
const UPSTREAM: ReadonlySet<string> = new Set(UPSTREAM_ERROR_CODES);

/**
 * Anything a verifier throws becomes a coded error with one of `DECISION_REASONS`;
 * unknown errors fail closed.
 */
function asPrmkitError(e: unknown, fallback: 'invalid_request' | 'verifier_failed'): PrmkitError {
  if (e instanceof UpstreamError) return e;
  if (e instanceof PrmkitError) {
    if (UPSTREAM.has(e.code)) {
      return new UpstreamError(e.code as UpstreamErrorCode, e.message, { cause: e });
    }
    if (REASONS.has(e.code)) return e;
    // A custom verifier's own code (not a refusal reason): still one reason per refusal.
    return new TokenError('verifier_rejected', e.message, { cause: e });
  }
  return fallback === 'verifier_failed'
    ? new UpstreamError('verifier_failed', 'The token could not be verified', { cause: e })
    : new TokenError('invalid_request', 'Malformed request', { cause: e });
}

/**
 * A verifier judges the token, not the request: a code whose answer is not a 401 or 503 in
 * `CODE_TABLE` (a request-shape code, `insufficient_scope`, `rate_limited`) becomes
 * `verifier_rejected`, so a custom verifier cannot turn a refusal into a 400, 403 or 429.
 */
function asTokenRefusal(error: PrmkitError): PrmkitError {
  const status = CODE_TABLE[error.code as CoreCode].status;
  return status === 401 || status === 503
    ? error
    : new TokenError('verifier_rejected', error.message, { cause: error });
}
