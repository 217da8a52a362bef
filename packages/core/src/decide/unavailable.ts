import type { AuthorizeFailure } from '../model/authorize-types.js';
import type { PrmkitError, UpstreamErrorCode } from '../model/errors.js';

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
export function buildUnavailable(
  error: PrmkitError & { readonly code: UpstreamErrorCode; readonly retryAfter?: number },
): AuthorizeFailure {
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
