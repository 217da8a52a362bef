import type { AuthorizeFailure } from '../model/authorize-types.js';
import { type DpopChallengeContext, dpopChallenges } from '../verify/dpop/dpop-challenge.js';
import type { PrmkitError } from '../model/errors.js';
import { isScopeToken } from './scope.js';
import { formatWwwAuthenticate } from '../www-authenticate/index.js';

/** RFC 6750 §3.1 error codes. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** Error codes a challenge may carry: RFC 6750 §3.1 and RFC 9449 §7.1 / §9. */
export type ChallengeErrorCode = BearerErrorCode | 'invalid_dpop_proof' | 'use_dpop_nonce';

/** Which scheme a refusal answers (with DPoP on) and the nonce to hand out. */
export interface FailureScheme {
  readonly scheme: 'Bearer' | 'DPoP';
  /** Sent as `DPoP-Nonce` (RFC 9449 §9). */
  readonly nonce?: string;
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
 * Builds a refusal ready to write: status, `WWW-Authenticate` (RFC 6750 §3 with the RFC
 * 9728 §5.1 `resource_metadata` parameter), CORS exposure of the challenge, `no-store`, and
 * a JSON body. `code === undefined` is the credential-less 401, which carries no error
 * code (RFC 6750 §3.1).
 */
export function buildFailure(
  ctx: ChallengeContext,
  status: AuthorizeFailure['status'],
  code: ChallengeErrorCode | undefined,
  error: PrmkitError,
  scopes: readonly string[],
  on: FailureScheme = { scheme: 'Bearer' },
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
