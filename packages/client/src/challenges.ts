import { parseWwwAuthenticate } from '@prmkit/core';

/**
 * What a client needs from one `Bearer` or `DPoP` challenge of a 401/403 response.
 *
 * @see RFC 6750 §3, RFC 9449 §7.1, RFC 9728 §5.1
 */
export interface AuthChallenge {
  /** Lower-cased scheme: `bearer` or `dpop`. */
  readonly scheme: string;
  /** RFC 9728 §5.1 `resource_metadata`, verbatim. */
  readonly resourceMetadata: string | undefined;
  /** RFC 6750 §3 `scope`, split on spaces. */
  readonly scope: string[] | undefined;
  /** RFC 6750 §3.1 `error` (e.g. `invalid_token`, `insufficient_scope`). */
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
}

/**
 * Every `Bearer` and `DPoP` challenge of a response's `WWW-Authenticate` header(s), parsed
 * with the RFC 9110 §11.6.1 grammar of `@prmkit/core`. Other schemes are ignored; an
 * unparseable header yields no challenges (the caller falls back to well-known URLs).
 *
 * @example
 * ```ts
 * const res = await fetch('https://mcp.example.com/mcp');
 * const [bearer] = readChallenges(res.headers);
 * bearer?.resourceMetadata; // 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp'
 * ```
 * @see RFC 6750 §3, RFC 9728 §5.1, RFC 9110 §11.6.1
 */
export function readChallenges(headers: Headers): AuthChallenge[] {
  const header = headers.get('www-authenticate');
  if (header === null) return [];
  let parsed: ReturnType<typeof parseWwwAuthenticate>;
  try {
    parsed = parseWwwAuthenticate(header);
  } catch {
    return [];
  }
  const out: AuthChallenge[] = [];
  for (const challenge of parsed) {
    const scheme = challenge.scheme.toLowerCase();
    if (scheme !== 'bearer' && scheme !== 'dpop') continue;
    const scope = challenge.params['scope'];
    out.push({
      scheme,
      resourceMetadata: challenge.params['resource_metadata'],
      scope: scope === undefined ? undefined : scope.split(' ').filter((s) => s !== ''),
      error: challenge.params['error'],
      errorDescription: challenge.params['error_description'],
    });
  }
  // Bearer first: it is the scheme this client speaks; DPoP challenges still inform discovery.
  return out.sort((a, b) => (a.scheme === b.scheme ? 0 : a.scheme === 'bearer' ? -1 : 1));
}
