import type { AuthorizeFailure } from '../model/authorize-types.js';
import {
  CODE_TABLE,
  type CodeRule,
  type ChallengeErrorCode,
  type CoreCode,
  challengeErrorFor,
} from '../model/codes.js';
import type { PrmkitError, UpstreamError, UpstreamErrorCode } from '../model/errors.js';
import { type DpopChallengeContext, dpopChallenges } from '../verify/dpop/dpop-challenge.js';
import { formatWwwAuthenticate } from '../www-authenticate/index.js';
import { isScopeToken } from './scope.js';

/** Which scheme a refusal answers (with DPoP on) and the nonce to hand out. */
export interface FailureScheme {
  readonly scheme: 'Bearer' | 'DPoP';
  /** Sent as `DPoP-Nonce` (RFC 9449 §9). */
  readonly nonce?: string;
  /** Seconds in the `Retry-After` of a 429 (rate limiting). */
  readonly retryAfter?: number;
}

/**
 * RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E. Messages are ours, but
 * may quote a claim value, so anything else is replaced rather than risk a broken header.
 */
export function toErrorDescription(message: string): string {
  const clean = message
    .replace(/§\s*/g, 'section ')
    .replace(/"/g, "'")
    .replace(/\\/g, '/')
    .replace(/[^\x20-\x7E]/g, '?');
  return clean.length > 300 ? `${clean.slice(0, 297)}...` : clean;
}

/** What every challenge of one resource server shares. */
export interface ChallengeContext {
  readonly metadataUrl: string;
  /** Set when DPoP is on: a `DPoP` challenge is sent (RFC 9449 §7.1). */
  readonly dpop?: DpopChallengeContext;
}

/**
 * The one refusal builder: the answer to a request refused for `error.code`, with the
 * status and challenge error that `CODE_TABLE` gives that code.
 *
 * - 400/401/403: `WWW-Authenticate` (RFC 6750 §3 with the RFC 9728 §5.1
 *   `resource_metadata` parameter), CORS exposure of the challenge, `no-store`, a JSON body.
 *   A 401 without a challenge error is the credential-less one (RFC 6750 §3.1).
 * - 503 and 429: `Retry-After` and no `WWW-Authenticate`, so no client reads "the
 *   authorization server is down" or "slow down" as "your token is bad".
 */
export function refuse(
  ctx: ChallengeContext,
  error: PrmkitError,
  scopes: readonly string[],
  on: FailureScheme = BEARER,
): AuthorizeFailure {
  const code = (error.code in CODE_TABLE ? error.code : 'verifier_rejected') as CoreCode;
  const rule: CodeRule = CODE_TABLE[code];
  if (rule.jsonRpcError !== undefined) return jsonRpcRefusal(error, null);
  const status = rule.status;
  if (status === 503) return buildUnavailable(error as UpstreamError);
  if (status === 429) return buildRateLimited(error, on.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS);
  // 404 (resource_not_found) is answered by a ResourceServerSet, never through here.
  const challenged = status === undefined || status === 404 ? 401 : status;
  return challengeAnswer(ctx, challenged, challengeErrorFor(code, on.scheme), error, scopes, on);
}

const BEARER: FailureScheme = { scheme: 'Bearer' };

function challengeAnswer(
  ctx: ChallengeContext,
  status: 400 | 401 | 403,
  code: ChallengeErrorCode | undefined,
  error: PrmkitError,
  scopes: readonly string[],
  on: FailureScheme,
): AuthorizeFailure {
  // A nonce makes every answer different; without one, equal refusals share their
  // (frozen) headers and body: a flood of forged tokens gets one answer, formatted once.
  if (on.nonce !== undefined)
    return { ...formatFailure(ctx, status, code, error, scopes, on), error };
  let answers = memo.get(ctx);
  if (answers === undefined) memo.set(ctx, (answers = new Map()));
  const key = `${status}\n${code ?? ''}\n${on.scheme}\n${scopes.join(' ')}\n${error.message}`;
  let answer = answers.get(key);
  if (answer === undefined) {
    if (answers.size >= MEMO_ENTRIES) answers.clear(); // bounded, whatever the messages
    answer = formatFailure(ctx, status, code, error, scopes, on);
    Object.freeze(answer.headers);
    answers.set(key, answer);
  }
  return { ok: false, status, headers: answer.headers, body: answer.body, error };
}

const MEMO_ENTRIES = 256;
const memo = new WeakMap<ChallengeContext, Map<string, Omit<AuthorizeFailure, 'error'>>>();

function formatFailure(
  ctx: ChallengeContext,
  status: AuthorizeFailure['status'],
  code: ChallengeErrorCode | undefined,
  error: PrmkitError,
  scopes: readonly string[],
  on: FailureScheme,
): Omit<AuthorizeFailure, 'error'> {
  const description = toErrorDescription(error.message);
  const params: Record<string, string> = { resource_metadata: ctx.metadataUrl };
  // Scopes from `authorize` options or a scopesForMessage hook are not validated up front;
  // one that is not an RFC 6749 §3.3 scope-token is left out rather than break the header.
  const writable = scopes.every(isScopeToken) ? scopes : scopes.filter(isScopeToken);
  if (writable.length > 0) params.scope = writable.join(' ');
  const errorParams = code ? { error: code, error_description: description } : undefined;
  const challenges = ctx.dpop
    ? dpopChallenges(ctx.dpop, params, errorParams, on.scheme)
    : [{ scheme: 'Bearer', params: { ...params, ...errorParams } }];
  const body = JSON.stringify(
    code
      ? { error: code, error_description: description }
      : { error: 'unauthorized', error_description: description },
  );
  return {
    ok: false,
    status,
    headers: {
      'www-authenticate': formatWwwAuthenticate(challenges),
      ...(on.nonce === undefined
        ? { 'access-control-expose-headers': 'WWW-Authenticate' }
        : {
            'dpop-nonce': on.nonce,
            'access-control-expose-headers': 'WWW-Authenticate, DPoP-Nonce',
          }),
      'cache-control': 'no-store',
      'content-type': 'application/json',
    },
    body,
  };
}

/** Seconds a client is told to wait when the failing part gives no better estimate. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

// Fixed texts: the error's own message may name internal URLs, which clients must not see.
const DESCRIPTIONS: Readonly<Record<UpstreamErrorCode, string>> = {
  jwks_unavailable: 'the keys of the authorization server cannot be obtained right now',
  discovery_failed: 'the authorization server metadata cannot be obtained right now',
  introspection_failed: 'the token cannot be introspected right now',
  verifier_failed: 'the token cannot be verified right now',
  store_unavailable: 'the shared state of this server cannot be reached right now',
  store_full: 'this server is saturated right now',
};

/**
 * Headers of a refusal that is not about the credentials (503, 429): no
 * `WWW-Authenticate`, so no client reads it as "your token is bad" and throws it away.
 */
function answer(
  status: 429 | 503,
  error: PrmkitError,
  retryAfter: number,
  body: { error: string; error_description: string },
): AuthorizeFailure {
  return {
    ok: false,
    status,
    headers: {
      'retry-after': String(Math.max(1, Math.ceil(retryAfter))),
      'cache-control': 'no-store',
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
    error,
  };
}

/**
 * 503 with `Retry-After` for an upstream failure (keys, discovery, introspection, store):
 * still a refusal (fail closed), but one that tells the client to wait and retry with the
 * same token instead of starting OAuth again.
 *
 * @see RFC 9110 §15.6.4 (503), §10.2.3 (Retry-After)
 */
export function buildUnavailable(error: UpstreamError): AuthorizeFailure {
  return answer(503, error, error.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS, {
    error: 'temporarily_unavailable',
    error_description: DESCRIPTIONS[error.code],
  });
}

/**
 * 429 with `Retry-After` for a client over its refusal limit.
 *
 * @see RFC 6585 §4
 */
export function buildRateLimited(error: PrmkitError, retryAfter: number): AuthorizeFailure {
  return answer(429, error, retryAfter, {
    error: 'too_many_requests',
    error_description: 'too many refused requests; retry later',
  });
}

/**
 * A refusal that is not OAuth's (`CODE_TABLE` gives it a `jsonRpcError`): its status, no
 * `WWW-Authenticate`, `no-store`, and a JSON-RPC error response as body with the request's
 * `id` (`null` when unknown). MCP SEP-2243 `HeaderMismatch` is one.
 *
 * @see MCP 2026-07-28 Streamable HTTP §Server Validation; JSON-RPC 2.0 §5
 */
export function jsonRpcRefusal(error: PrmkitError, id: string | number | null): AuthorizeFailure {
  const rule: CodeRule = CODE_TABLE[error.code as CoreCode];
  return {
    ok: false,
    status: rule.status ?? 400,
    headers: { 'cache-control': 'no-store', 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      error: { code: rule.jsonRpcError, message: error.message },
    }),
    error,
  };
}
