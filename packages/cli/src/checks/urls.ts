import { isSecureUrl } from '@prmkit/core';
import type { AllowHttp } from '@prmkit/client';
import { quote } from './check.js';

/** Why `value` may not be used as a URL a client fetches, or `undefined` when it may. */
export function urlProblem(value: unknown, allowHttp: AllowHttp): string | undefined {
  if (typeof value !== 'string') return 'is not a string';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.username !== '' || url.password !== '') return 'carries credentials';
  if (isSecureUrl(url, allowHttp)) return undefined;
  if (url.protocol === 'http:') {
    return allowHttp === 'loopback'
      ? 'is http on a host that is not loopback'
      : 'is not https (--allow-http-loopback permits http on loopback only)';
  }
  return `uses the ${url.protocol} scheme`;
}

/** How an accepted URL is secured, for PASS reasons. */
export function transportNote(value: string): string {
  return value.startsWith('http:') ? 'http on loopback, allowed by --allow-http-loopback' : 'https';
}

/** "https", or "https or loopback http" when loopback http is allowed. */
export function secureWord(allowHttp: AllowHttp): string {
  return allowHttp === 'loopback' ? 'https (or http on loopback, as allowed)' : 'https';
}

/**
 * One line per URL member of `document` that a client may not use (`member "value" why`);
 * a missing member is a problem only when listed in `required`.
 */
export function urlMemberProblems(
  document: Record<string, unknown>,
  members: readonly string[],
  allowHttp: AllowHttp,
  required: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  for (const member of members) {
    const value = document[member];
    if (value === undefined) {
      if (required.includes(member)) problems.push(`${member} is missing`);
      continue;
    }
    const problem = urlProblem(value, allowHttp);
    if (problem) problems.push(`${member} ${quote(value)} ${problem}`);
  }
  return problems;
}
