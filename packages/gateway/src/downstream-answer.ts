import { formatWwwAuthenticate, parseWwwAuthenticate } from '@prmkit/core';
import type { RefusalContext } from './refusal.js';

/**
 * Makes a downstream's answer safe to hand to the MCP client. A downstream challenge names
 * the downstream's own metadata (`resource_metadata`); a client following it would ask for
 * a token for the downstream and go around the gateway. So:
 *
 * - a downstream 401 means it refused the token the gateway obtained (the client's token is
 *   fine): 502 `bad_gateway`, its challenge and body dropped;
 * - any other answer with `WWW-Authenticate` (a 403 `insufficient_scope`) keeps its
 *   challenges with `resource_metadata` replaced by the gateway route's;
 * - anything else passes unchanged (bodies, SSE streams included, are not touched).
 *
 * @example
 * ```ts
 * const upstream = await gateway.fetchFor(auth, 'files')(url, init);
 * const answer = rewriteDownstreamAnswer(upstream, { resourceMetadataUrl, scopes: ['mcp:tools'] });
 * ```
 * @see RFC 9728 §5.1 (resource_metadata), RFC 6750 §3.1
 */
export function rewriteDownstreamAnswer(response: Response, ctx: RefusalContext): Response {
  const header = response.headers.get('www-authenticate');
  if (response.status === 401) {
    void response.body?.cancel().catch(() => undefined);
    return new Response(
      JSON.stringify({
        error: 'bad_gateway',
        error_description: 'the downstream server refused the token the gateway obtained for it',
      }),
      { status: 502, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } },
    );
  }
  if (header === null) return response;
  const headers = new Headers(response.headers);
  const challenges = parseWwwAuthenticate(header).map((challenge) =>
    challenge.token68 !== undefined
      ? challenge
      : {
          scheme: challenge.scheme,
          params: { ...challenge.params, resource_metadata: ctx.resourceMetadataUrl },
        },
  );
  if (challenges.length === 0) headers.delete('www-authenticate');
  else headers.set('www-authenticate', formatWwwAuthenticate(challenges));
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
