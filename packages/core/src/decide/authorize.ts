import type { AuthorizeOptions, AuthorizeResult } from '../model/authorize-types.js';
import type { ResolvedConfig } from '../server/config.js';
import type { FailureLimiter } from './rate-limit.js';
import type { DecisionObserver, DecisionTrace } from '../observe/observer.js';
import { DECISION_REASONS } from '../model/reasons.js';
import { buildUnavailable } from './unavailable.js';
import {
  PrmkitError,
  TokenError,
  UPSTREAM_ERROR_CODES,
  UpstreamError,
  type UpstreamErrorCode,
} from '../model/errors.js';
import { dpopJkt } from '../verify/dpop/dpop-binding.js';
import { createDpopCheck } from '../verify/dpop/dpop-check.js';
import { buildFailure, type ChallengeContext } from './refusal.js';
import { type MessageScopeRules, scopesForRequest } from './mcp-scopes.js';
import { missingScopes, unionScopes } from './scope.js';
import { extractBearerToken } from '../verify/token/index.js';
import type { AuthInfo, RequestLike, TokenVerifier } from '../model/types.js';

export interface AuthorizerDeps {
  readonly config: ResolvedConfig;
  readonly verifier: TokenVerifier;
  readonly challenge: ChallengeContext;
  readonly messageRules: MessageScopeRules;
  /** Who hears about decisions; `undefined`: nobody, and no event is built. */
  readonly observer: DecisionObserver | undefined;
  /** Failure-only rate limiting, when enabled. */
  readonly limiter: FailureLimiter | undefined;
}

/** Extraction refusals that are about the request's shape: 400 (RFC 6750 §3.1). */
const REQUEST_ERRORS = new Set([
  'invalid_request',
  'multiple_token_methods',
  'multiple_authorization_headers',
  'token_method_not_allowed',
  'token_malformed',
]);

/**
 * The one decision: extract (RFC 6750 §2), verify (RFC 9068 / RFC 7662), check scopes,
 * and on refusal build the exact response. Never throws for an authentication failure.
 */
export function createAuthorizer(deps: AuthorizerDeps) {
  const { config, verifier, challenge, messageRules, observer, limiter } = deps;
  const dpop = config.dpop;
  const checkDpop = dpop && createDpopCheck({ ...dpop, dpop, resource: config.resource, verifier });

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
    const required = unionScopes(
      config.requiredScopes,
      options.scopes,
      scopesForRequest(req.method, req.body, messageRules),
    );
    observer?.watchRequest?.(req);
    const trace: DecisionTrace = { token: undefined, cacheHit: false };
    const decided = decide(req, required, trace);
    return decided instanceof Promise
      ? decided.then((result) => conclude(req, result, required, started, trace))
      : conclude(req, decided, required, started, trace);
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

  return { authorize, authorizeNow };

  function decide(
    req: RequestLike,
    required: readonly string[],
    trace: DecisionTrace,
  ): AuthorizeResult | Promise<AuthorizeResult> {
    let token: string;
    try {
      const found = extractBearerToken(req, {
        methods: config.bearerMethods,
        maxLength: config.maxTokenLength,
        dpop: dpop !== undefined,
      });
      if (!found) {
        return buildFailure(
          challenge,
          401,
          undefined,
          new TokenError('token_missing', 'A bearer access token is required'),
          required,
        );
      }
      trace.token = found.token;
      if (found.scheme === 'DPoP' && checkDpop) return decideDpop(req, found.token, required);
      if (dpop?.mode === 'required') {
        // RFC 9449 §7.1: only DPoP is accepted here, so Bearer is an unsupported scheme.
        const error = new TokenError(
          'dpop_required',
          'this resource accepts DPoP-bound tokens only',
        );
        return buildFailure(challenge, 401, undefined, error, required);
      }
      token = found.token;
    } catch (e) {
      const error = asPrmkitError(e, 'invalid_request');
      // Another scheme (Basic, ...) carries no bearer credentials: the bare challenge.
      if (error.code === 'token_missing')
        return buildFailure(challenge, 401, undefined, error, required);
      return REQUEST_ERRORS.has(error.code)
        ? buildFailure(challenge, 400, 'invalid_request', error, required)
        : buildFailure(challenge, 401, 'invalid_token', error, required);
    }

    const cached = verifier.peek?.(token);
    if (cached !== undefined) {
      trace.cacheHit = true;
      return checkBearer(cached, required);
    }
    let pending: Promise<AuthInfo>;
    try {
      pending = verifier.verify(token);
    } catch (e) {
      pending = Promise.reject(e); // a verifier that throws synchronously fails closed too
    }
    return pending.then(
      (auth) => checkBearer(auth, required),
      (e: unknown) => {
        const error = asPrmkitError(e, 'verifier_failed');
        // The infrastructure failed, not the token: 503, so the client keeps its token.
        return error instanceof UpstreamError
          ? buildUnavailable(error)
          : buildFailure(challenge, 401, 'invalid_token', error, required);
      },
    );
  }

  /** A token presented as Bearer: never one bound to a DPoP key (RFC 9449 §7.2). */
  function checkBearer(auth: AuthInfo, required: readonly string[]): AuthorizeResult {
    if (dpopJkt(auth.claims) !== undefined) {
      const error = new TokenError(
        'dpop_bound_token_as_bearer',
        'the access token is DPoP-bound: present it with the DPoP scheme and a proof',
      );
      return buildFailure(challenge, 401, 'invalid_token', error, required);
    }
    return checkScopes(auth, required);
  }

  async function decideDpop(
    req: RequestLike,
    token: string,
    required: readonly string[],
  ): Promise<AuthorizeResult> {
    const outcome = await (checkDpop as NonNullable<typeof checkDpop>)(req, token);
    if (outcome.ok) return checkScopes(outcome.auth, required, 'DPoP');
    const error = asPrmkitError(outcome.error, 'verifier_failed');
    if (error instanceof UpstreamError) return buildUnavailable(error); // e.g. the jti store is down
    return buildFailure(challenge, 401, outcome.code, error, required, {
      scheme: 'DPoP',
      nonce: outcome.nonce,
    });
  }

  function checkScopes(
    auth: AuthInfo,
    required: readonly string[],
    scheme: 'Bearer' | 'DPoP' = 'Bearer',
  ): AuthorizeResult {
    const missing = missingScopes(required, auth.scopes);
    if (missing.length > 0) {
      const error = new PrmkitError('insufficient_scope', `Missing scope: ${missing.join(' ')}`);
      return buildFailure(challenge, 403, 'insufficient_scope', error, required, { scheme });
    }
    return { ok: true, auth };
  }
}

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
