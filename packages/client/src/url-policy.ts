import { PrmkitConfigError } from '@prmkit/core';
import { checkUrl } from '@prmkit/core/http';
import type { ConfigIssue } from '@prmkit/core';
import { ClientError } from './errors.js';

/**
 * `'loopback'` allows plain http to 127.0.0.0/8, ::1 and localhost (tests, local
 * development), and loopback addresses in URLs a server hands over. Anything else requires
 * https.
 */
export type AllowHttp = 'loopback' | undefined;

/**
 * `'private-and-link-local'` accepts URLs handed over by a server that name an IP address in
 * a private (10/8, 172.16/12, 192.168/16), link-local (169.254/16, fe80::/10), carrier-grade
 * NAT (100.64/10) or unique-local (fc00::/7) range. Unset: refused.
 */
export type AllowPrivateNetwork = 'private-and-link-local' | undefined;

/** The switches of the URL rule a client sets (part of `HttpPolicy`). */
export interface UrlPolicy {
  readonly allowHttp?: AllowHttp;
  /**
   * Accept URLs handed over by a server (challenge `resource_metadata`,
   * `authorization_servers`, metadata endpoints, redirects) that name an IP address in a
   * private, link-local, carrier-grade NAT or unique-local range (see
   * {@link AllowPrivateNetwork}). Default refused: a hostile server could otherwise aim the
   * client at its own network (cloud metadata services at 169.254.169.254, routers). Set
   * `'private-and-link-local'` for intranet deployments whose servers live at such addresses.
   */
  readonly allowPrivateNetwork?: AllowPrivateNetwork;
}

/** How the URL rule's messages name the client's switches. */
const SWITCH_NAMES = {
  allowHttp: "allowHttp: 'loopback'",
  allowPrivateNetwork: "allowPrivateNetwork: 'private-and-link-local'",
} as const;

/**
 * The problems of the URL switches in `policy` (a value other than the named literal, such
 * as the `true` of earlier versions), for option validation.
 */
export function urlPolicyIssues(policy: UrlPolicy): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (policy.allowHttp !== undefined && (policy.allowHttp as unknown) !== 'loopback') {
    issues.push({
      path: 'allowHttp',
      message: `must be 'loopback' or unset, got ${JSON.stringify(policy.allowHttp)}`,
    });
  }
  const privateNetwork: unknown = policy.allowPrivateNetwork;
  if (privateNetwork !== undefined && privateNetwork !== 'private-and-link-local') {
    issues.push({
      path: 'allowPrivateNetwork',
      message: `must be 'private-and-link-local' or unset, got ${JSON.stringify(privateNetwork)}${
        typeof privateNetwork === 'boolean'
          ? ` (the boolean form is gone: write ${SWITCH_NAMES.allowPrivateNetwork} to allow intranet addresses, or leave it unset)`
          : ''
      }`,
    });
  }
  return issues;
}

/** Throws `PrmkitConfigError` (`config_invalid`) when a URL switch is not a named literal. */
export function assertUrlPolicy(policy: UrlPolicy): void {
  const issues = urlPolicyIssues(policy);
  if (issues.length > 0) throw new PrmkitConfigError(issues);
}

/**
 * Why `value` may not be used (the core URL rule, `checkUrl`), as the code and message of
 * a `ClientError`, or `undefined` when it may: `invalid_url` when it is no URL,
 * `insecure_url` for a refused scheme, credentials, or (for `source: 'handed-over'`) an
 * address outside the public internet. `what` names the value in the message.
 */
export function urlPolicyProblem(
  value: unknown,
  what: string,
  policy: UrlPolicy & { readonly source: 'configured' | 'handed-over'; readonly base?: URL },
): { code: 'invalid_url' | 'insecure_url'; message: string } | undefined {
  assertUrlPolicy(policy);
  const { url, problems } = checkUrl(value, {
    allowHttp: policy.allowHttp,
    allowPrivateNetwork: policy.allowPrivateNetwork === 'private-and-link-local',
    source: policy.source,
    base: policy.base,
    switchNames: SWITCH_NAMES,
  });
  const [problem] = problems;
  if (!url || problem?.reason === 'not_a_url') {
    return { code: 'invalid_url', message: `${what} ${problem?.message ?? 'is not a URL'}` };
  }
  if (problem) return { code: 'insecure_url', message: `${what} ${problem.message}` };
  return undefined;
}

/**
 * Parses `value` with the core URL rule and throws `ClientError` when it may not be used
 * (see {@link urlPolicyProblem}).
 */
export function requireSafeUrl(
  value: unknown,
  what: string,
  policy: UrlPolicy & { readonly source: 'configured' | 'handed-over'; readonly base?: URL },
): URL {
  const problem = urlPolicyProblem(value, what, policy);
  if (problem) throw new ClientError(problem.code, problem.message);
  return new URL(value as string | URL, policy.base);
}
