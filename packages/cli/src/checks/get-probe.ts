import type { Exchange } from '../recorder.js';
import type { Check } from '../types.js';
import { fail, pass, warn } from './check.js';

const SPEC =
  'MCP 2025-11-25 basic/transports (listening for messages from the server); RFC 6750 §3';

/**
 * Judges the unauthenticated GET to the server URL, reported apart from the POST probe: a
 * Streamable HTTP server need not offer GET (404 or 405 is information, not a failure),
 * but one that answers GET must not serve it without a token.
 */
export function checkGetProbe(get: Exchange): Check {
  const id = 'challenge.get';
  const status = get.status;
  if (status === undefined) {
    return warn(id, `no response to an unauthenticated GET (${get.error ?? 'no answer'})`, SPEC);
  }
  if (status === 401) return pass(id, 'an unauthenticated GET is answered 401 too', SPEC);
  if (status === 404 || status === 405) {
    return pass(
      id,
      `an unauthenticated GET is answered ${status}: the server offers no GET stream (information)`,
      SPEC,
    );
  }
  if (status >= 200 && status < 300) {
    return fail(
      id,
      `an unauthenticated GET is answered ${status}: the GET stream is not protected`,
      SPEC,
    );
  }
  return warn(id, `an unauthenticated GET is answered ${status}, 401, 404 or 405 expected`, SPEC);
}
