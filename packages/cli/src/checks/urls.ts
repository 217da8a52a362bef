import { checkUrl } from '@prmkit/core/http';
import type { UrlPolicy } from '@prmkit/client';
import { quote } from './check.js';

/** The command-line names of the URL rule's switches, for its messages. */
const SWITCHES = {
  allowHttp: '--allow-http-loopback',
  allowPrivateNetwork: '--allow-private-network',
} as const;

/**
 * Why `value` may not be used as a URL a client fetches, or `undefined` when it may: the
 * core URL rule (`checkUrl`), the same one `@prmkit/client` applies. URLs taken from the
 * server's answers are `handed-over` (private and loopback addresses refused unless allowed).
 */
export function urlProblem(
  value: unknown,
  policy: UrlPolicy,
  source: 'configured' | 'handed-over' = 'handed-over',
): string | undefined {
  return checkUrl(value, {
    allowHttp: policy.allowHttp,
    allowPrivateNetwork: policy.allowPrivateNetwork === 'private-and-link-local',
    source,
    switchNames: SWITCHES,
  }).problems[0]?.message;
}

/** How an accepted URL is secured, for PASS reasons. */
export function transportNote(value: string): string {
  return value.startsWith('http:') ? 'http on loopback, allowed by --allow-http-loopback' : 'https';
}

/** "https", or "https or loopback http" when loopback http is allowed. */
export function secureWord(policy: UrlPolicy): string {
  return policy.allowHttp === 'loopback' ? 'https (or http on loopback, as allowed)' : 'https';
}

/**
 * One line per URL member of `document` that a client may not use (`member "value" why`);
 * a missing member is a problem only when listed in `required`.
 */
export function urlMemberProblems(
  document: Record<string, unknown>,
  members: readonly string[],
  policy: UrlPolicy,
  required: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  for (const member of members) {
    const value = document[member];
    if (value === undefined) {
      if (required.includes(member)) problems.push(`${member} is missing`);
      continue;
    }
    const problem = urlProblem(value, policy);
    if (problem) problems.push(`${member} ${quote(value)} ${problem}`);
  }
  return problems;
}
