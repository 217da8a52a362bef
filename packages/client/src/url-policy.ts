import { checkUrl } from '@prmkit/core';
import { ClientError } from './errors.js';

/**
 * `'loopback'` allows plain http to 127.0.0.0/8, ::1 and localhost (tests, local
 * development), and loopback addresses in URLs a server hands over. Anything else requires
 * https.
 */
export type AllowHttp = 'loopback' | undefined;

/** The switches of the URL rule a client sets (part of `HttpPolicy`). */
export interface UrlPolicy {
  readonly allowHttp?: AllowHttp;
  /**
   * Accept URLs handed over by a server (challenge `resource_metadata`,
   * `authorization_servers`, metadata endpoints, redirects) that name an IP address in a
   * private (10/8, 172.16/12, 192.168/16), link-local (169.254/16, fe80::/10), carrier-grade
   * NAT (100.64/10) or unique-local (fc00::/7) range. Default refused: a hostile server
   * could otherwise aim the client at its own network (cloud metadata services, routers).
   * Set it for intranet deployments whose servers live at such addresses.
   */
  readonly allowPrivateNetwork?: boolean | undefined;
}

/**
 * Parses `value` with the core URL rule (`checkUrl`) and throws `ClientError` when it may
 * not be used: `invalid_url` when it is no URL, `insecure_url` for a refused scheme,
 * credentials, or (for `source: 'handed-over'`) an address outside the public internet.
 * `what` names the value in the error message.
 */
export function requireSafeUrl(
  value: unknown,
  what: string,
  policy: UrlPolicy & { readonly source: 'configured' | 'handed-over'; readonly base?: URL },
): URL {
  const { url, problems } = checkUrl(value, policy);
  const [problem] = problems;
  if (!url || problem?.reason === 'not_a_url') {
    throw new ClientError('invalid_url', `${what} ${problem?.message ?? 'is not a URL'}`);
  }
  if (problem) throw new ClientError('insecure_url', `${what} ${problem.message}`);
  return url;
}
