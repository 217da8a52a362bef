import type { AuthInfo } from '@prmkit/core';
import { decodeJwt } from 'jose';
import { GatewayError } from './errors.js';
import { type DownstreamTarget, targetAudiences } from './target.js';
import type { DownstreamToken } from './token-exchanger.js';

/** Headers that carry credentials or name the hop; never copied from the inbound request. */
const STRIPPED = ['authorization', 'proxy-authorization', 'dpop', 'cookie'] as const;

/**
 * Checks the token about to leave for `target`: not the inbound token, and, when it is a
 * JWT, an `aud` naming the target (its resource or audience). An opaque token is accepted
 * only because it came from the exchange for this target. Throws `passthrough_refused`.
 *
 * @example
 * ```ts
 * checkDownstreamToken(token.accessToken, auth, target); // throws unless safe to send
 * ```
 * @see MCP 2026-07-28 security considerations ("MUST NOT pass through the token"),
 *   RFC 8693 §2.1, RFC 9068 §4 (aud)
 */
export function checkDownstreamToken(
  token: string,
  inbound: AuthInfo,
  target: DownstreamTarget,
): void {
  if (token === inbound.token)
    throw new GatewayError(
      'passthrough_refused',
      `refused to send the inbound token to ${target.name}`,
    );
  let aud: unknown;
  try {
    aud = decodeJwt(token).aud;
  } catch {
    return; // opaque: its audience is the exchange's business
  }
  const audiences = aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
  const expected = targetAudiences(target);
  if (!audiences.some((value) => expected.includes(value as string)))
    throw new GatewayError(
      'passthrough_refused',
      `refused to send a token whose audience is not ${target.name}`,
    );
}

/**
 * The URL with every ASCII `%XX` escape decoded (tokens are ASCII). Never throws: a
 * malformed escape elsewhere, which `decodeURIComponent` rejects, cannot hide the token.
 */
function decodedOrRaw(url: string): string {
  return url.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const code = Number.parseInt(hex, 16);
    return code < 0x80 ? String.fromCharCode(code) : escape;
  });
}

/** Whether the URL is at or below the target's upstream (same origin, path prefix). */
function withinUpstream(url: URL, upstream: string | undefined): boolean {
  if (upstream === undefined) return true;
  const base = new URL(upstream);
  if (url.origin !== base.origin) return false;
  const prefix = base.pathname.replace(/\/+$/, '');
  return (
    url.pathname === base.pathname ||
    url.pathname === prefix ||
    url.pathname.startsWith(`${prefix}/`) ||
    prefix === ''
  );
}

/**
 * Builds the outgoing request for `target`: the caller's request without its credentials
 * (`Authorization`, `Proxy-Authorization`, `DPoP`, `Cookie`), refused outright if the inbound token
 * still appears anywhere in the URL or headers, with `Authorization: Bearer <downstream>`,
 * and redirects not followed (a redirect would carry the token elsewhere).
 */
export function guardedRequest(
  request: Request,
  inbound: AuthInfo,
  target: DownstreamTarget,
  token: DownstreamToken,
): Request {
  const url = new URL(request.url);
  if (!withinUpstream(url, target.upstream))
    throw new GatewayError(
      'passthrough_refused',
      `refused a downstream call for ${target.name} outside its upstream`,
    );
  const headers = new Headers(request.headers);
  for (const name of STRIPPED) headers.delete(name);
  const secret = inbound.token;
  if (request.url.includes(secret) || decodedOrRaw(request.url).includes(secret))
    throw new GatewayError(
      'passthrough_refused',
      'refused a downstream URL carrying the inbound token',
    );
  for (const [name, value] of headers)
    if (value.includes(secret))
      throw new GatewayError(
        'passthrough_refused',
        `refused to forward header ${name}: it carries the inbound token`,
      );
  checkDownstreamToken(token.accessToken, inbound, target);
  headers.set('authorization', `Bearer ${token.accessToken}`);
  return new Request(request, { headers, redirect: 'manual' });
}
