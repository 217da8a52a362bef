import { resolveContext } from './auth-fetch/context.js';
import { obtainOnce } from './auth-fetch/obtain.js';
import { sendRequest } from './auth-fetch/send-request.js';
import type { AuthFetchOptions } from './auth-fetch/options.js';
import { Sessions, currentTokens, forgetTokens } from './auth-fetch/session.js';
import { isStepUp } from './auth-fetch/step-up.js';
import { ClientError } from './errors.js';
import type { FetchLike } from './http.js';

export type { AuthFetchOptions, DpopUse } from './auth-fetch/options.js';

/**
 * A `fetch` that authorizes transparently: on a 401 it discovers the authorization server
 * (RFC 9728), obtains a token (authorization code + PKCE, or client credentials; RFC 8707
 * `resource` on every request), and retries once; on a 403 `insufficient_scope` it
 * re-authorizes with the union of scopes. A 401 right after a fresh token throws
 * `unauthorized_after_token`; more than `maxAuthorizations` throws `step_up_limit`.
 * Tokens are sent only to the origin of the resource they were issued for.
 *
 * @example
 * ```ts
 * import { createAuthFetch } from '@prmkit/client';
 * import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
 *
 * const authFetch = createAuthFetch({
 *   redirectUri: 'http://127.0.0.1:8976/callback',
 *   openAuthorizationUrl: async (url) => { showToUser(url); return await waitForRedirect(); },
 * });
 * const transport = new StreamableHTTPClientTransport(new URL('https://mcp.example.com/mcp'), { fetch: authFetch });
 * await new Client({ name: 'app', version: '1.0.0' }).connect(transport);
 * ```
 * @see RFC 9728 §5, RFC 6750 §3.1, RFC 8707 §2, MCP 2025-11-25 authorization
 */
export function createAuthFetch(options: AuthFetchOptions = {}): FetchLike {
  const ctx = resolveContext(options);
  const sessions = new Sessions();

  return async function authFetch(
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> {
    const original = new Request(input, init);
    const url = new URL(original.url);
    url.hash = '';
    const session = sessions.for(url);
    let tokens = await currentTokens(ctx, session);
    let res = await sendRequest(ctx, original, session, tokens);
    let fresh = false;
    // Bounded: each pass either returns, throws, or spends one of maxAuthorizations (+ refreshes).
    for (let pass = 0; pass < ctx.maxAuthorizations + 3; pass += 1) {
      const stepUp = isStepUp(res);
      if (res.status !== 401 && !stepUp) break;
      if (res.status === 401 && fresh) {
        await res.body?.cancel().catch(() => undefined);
        await forgetTokens(ctx, session);
        throw new ClientError(
          'unauthorized_after_token',
          `${url.href} answered 401 to a freshly issued token`,
          { status: 401 },
        );
      }
      const obtained = await obtainOnce(ctx, session, { url, res, sent: tokens, stepUp });
      await res.body?.cancel().catch(() => undefined);
      tokens = obtained.tokens;
      fresh = obtained.fresh;
      res = await sendRequest(ctx, original, session, tokens);
    }
    if (res.status < 400) session.attempts = 0;
    return res;
  };
}
