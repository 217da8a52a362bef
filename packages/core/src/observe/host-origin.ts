import { headerValue } from '../util/headers.js';
import type { HeadersLike } from '../util/headers.js';
import type { PrmkitLogger } from '../model/logger.js';

/** Requests with a foreign `Host` seen before the warning is written. */
export const HOST_MISMATCHES_BEFORE_WARNING = 3;
/** Requests looked at in all: past them the setting is judged right (or already warned). */
const REQUESTS_WATCHED = 1000;

/**
 * Watches `Host` (and `X-Forwarded-Host`, which a proxy sets to the public name) against
 * the configured `resource`. When requests keep arriving for another host (the usual sign
 * of a proxy rewriting `Host`, or of a `resource` that is not the public URL, so that every
 * token's audience will mismatch), it writes one warning naming both, then stops looking.
 * The `resource` itself is never taken from the request.
 *
 * @see RFC 9728 §3.3 (the resource must be the URL clients use), RFC 8707 §2
 */
export function createHostWatch(
  resource: string,
  logger: PrmkitLogger,
): ((headers: HeadersLike) => void) | undefined {
  const expected = new URL(resource).host;
  let mismatches = 0;
  let seen = 0;
  let done = false;
  return (headers) => {
    if (done) return;
    if (++seen >= REQUESTS_WATCHED) done = true;
    const forwarded = headerValue(headers, 'x-forwarded-host')?.split(',')[0]?.trim().toLowerCase();
    const host = headerValue(headers, 'host')?.toLowerCase();
    if (host === undefined || host === expected || forwarded === expected) return;
    mismatches += 1;
    if (mismatches < HOST_MISMATCHES_BEFORE_WARNING) return;
    done = true;
    logger.warn(
      {
        reason: 'host_mismatch',
        expectedHost: expected,
        receivedHost: host,
        forwardedHost: forwarded,
        resource,
      },
      `prmkit: requests arrive for host ${JSON.stringify(host)} but the configured resource is ${JSON.stringify(resource)}; if that is not the public URL clients use, every token's audience will mismatch (set resource to the public URL, or let the proxy forward X-Forwarded-Host)`,
    );
  };
}
