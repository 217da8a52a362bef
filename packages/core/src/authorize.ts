import type { AuthorizeDecision, AuthorizeOptions, AuthorizeResult } from './authorize-types.js';
import type { ResolvedConfig } from './config.js';
import { dpopJkt } from './dpop/dpop-binding.js';
import { createDpopCheck } from './dpop/dpop-check.js';
import { PrmkitError, TokenError, UpstreamError } from './errors.js';
import { buildFailure, type ChallengeContext } from './failure.js';
import { requestPath } from './headers.js';
import { type MessageScopeRules, scopesForRequest } from './mcp-scopes.js';
import { missingScopes, unionScopes } from './scope.js';
import { extractBearerToken } from './token/index.js';
import type { AuthInfo, RequestLike, TokenVerifier } from './types.js';

export interface AuthorizerDeps {
  readonly config: ResolvedConfig;
  readonly verifier: TokenVerifier;
  readonly challenge: ChallengeContext;
  readonly messageRules: MessageScopeRules;
  readonly onDecision: ((decision: AuthorizeDecision) => void) | undefined;
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
  const { config, verifier, challenge, messageRules, onDecision } = deps;
  const dpop = config.dpop;
  const checkDpop = dpop && createDpopCheck({ ...dpop, dpop, resource: config.resource, verifier });

  const finish = (
    req: RequestLike,
    result: AuthorizeResult,
    required: readonly string[],
    started: number,
  ): AuthorizeResult => {
    if (onDecision) report(onDecision, req, result, required, started);
    return result;
  };

  /** The decision, synchronous when no I/O is needed (no token, a bad one, a cached one). */
  function authorizeNow(
    req: RequestLike,
    options: AuthorizeOptions = {},
  ): AuthorizeResult | Promise<AuthorizeResult> {
    const started = onDecision ? performance.now() : 0;
    const required = unionScopes(
      config.requiredScopes,
      options.scopes,
      scopesForRequest(req.method, req.body, messageRules),
    );
    const decided = decide(req, required);
    return decided instanceof Promise
      ? decided.then((result) => finish(req, result, required, started))
      : finish(req, decided, required, started);
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
    if (cached !== undefined) return checkBearer(cached, required);
    let pending: Promise<AuthInfo>;
    try {
      pending = verifier.verify(token);
    } catch (e) {
      pending = Promise.reject(e); // a verifier that throws synchronously fails closed too
    }
    return pending.then(
      (auth) => checkBearer(auth, required),
      (e: unknown) =>
        buildFailure(
          challenge,
          401,
          'invalid_token',
          asPrmkitError(e, 'verifier_failed'),
          required,
        ),
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

/** Anything a verifier throws becomes a coded error; unknown errors fail closed. */
function asPrmkitError(e: unknown, fallback: 'invalid_request' | 'verifier_failed'): PrmkitError {
  if (e instanceof PrmkitError) return e;
  return fallback === 'verifier_failed'
    ? new UpstreamError('verifier_failed', 'The token could not be verified', { cause: e })
    : new TokenError('invalid_request', 'Malformed request', { cause: e });
}

function report(
  onDecision: (decision: AuthorizeDecision) => void,
  req: RequestLike,
  result: AuthorizeResult,
  required: readonly string[],
  started: number,
): void {
  const decision: AuthorizeDecision = result.ok
    ? {
        ok: true,
        status: 200,
        method: req.method,
        path: requestPath(req.url)?.path ?? '',
        subject: result.auth.subject,
        clientId: result.auth.clientId,
        ...(result.auth.audienceAlias !== undefined && {
          audienceAlias: result.auth.audienceAlias,
        }),
        requiredScopes: required,
        durationMs: performance.now() - started,
      }
    : {
        ok: false,
        status: result.status,
        code: result.error.code,
        method: req.method,
        path: requestPath(req.url)?.path ?? '',
        requiredScopes: required,
        durationMs: performance.now() - started,
      };
  try {
    onDecision(decision);
  } catch (e) {
    // A broken logging hook must not change the decision; say so loudly once per call.
    console.error('[prmkit] onDecision hook threw:', e);
  }
}
