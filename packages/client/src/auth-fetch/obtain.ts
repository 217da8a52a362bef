import { discover } from '../discover.js';
import type { TokenSet } from '../oauth/types.js';
import { authorizeFully } from './authorize.js';
import type { AuthContext } from './context.js';
import { refreshTokens } from './refresh.js';
import type { Obtained, Session } from './session-types.js';
import { stepUpScopes } from './step-up.js';

/** A request the server refused: its URL, the answer, the token sent, and whether it asks for a step-up. */
export interface Refusal {
  readonly url: URL;
  readonly res: Response;
  readonly sent: TokenSet | undefined;
  readonly stepUp: boolean;
}

/**
 * Tokens for a request the server refused: discovers the authorization server, then tries
 * in order a stored token not sent yet, a refresh, a full authorization; on a step-up a
 * full authorization with the union of scopes. Concurrent refusals share one run.
 */
export async function obtainOnce(
  ctx: AuthContext,
  session: Session,
  refusal: Refusal,
): Promise<Obtained> {
  // Concurrent 401s share one authorization.
  if (session.inflight) return session.inflight;
  const p = obtain(ctx, session, refusal);
  session.inflight = p;
  try {
    return await p;
  } finally {
    session.inflight = undefined;
  }
}

async function obtain(ctx: AuthContext, session: Session, refusal: Refusal): Promise<Obtained> {
  const { options, cache, store } = ctx;
  const { url, res, sent, stepUp } = refusal;
  // A 401 to a token we sent: the resource may have moved to another AS (SEP-2352), so
  // the cached metadata is re-read rather than trusted until its TTL runs out.
  if (sent && !stepUp) cache.delete(url.href);
  const d = await discover(url, {
    ...options,
    probeResponse: res,
    cache,
    ...(options.selectAuthorizationServer
      ? { selectAuthorizationServer: options.selectAuthorizationServer }
      : {}),
  });
  options.onDiscovery?.(d);
  if (session.key && (session.key.issuer !== d.issuer || session.key.resource !== d.resource)) {
    // Another AS or resource now: the old credentials are never reused for it.
    session.attempts = 0;
  }
  session.discovery = d;
  session.key = { resource: d.resource, issuer: d.issuer };
  const stored = await store.get(session.key);

  if (stepUp) {
    const scopes = stepUpScopes(res, sent, session);
    return { tokens: await authorizeFully(ctx, session, d, scopes), fresh: true };
  }
  // A stored token we did not send yet (e.g. from a file store) is tried first.
  if (stored?.tokens && stored.tokens.accessToken !== sent?.accessToken) {
    return { tokens: stored.tokens, fresh: false };
  }
  if (stored?.tokens?.refreshToken) {
    const refreshed = await refreshTokens(ctx, session, stored.tokens, stored.client);
    if (refreshed) return { tokens: refreshed, fresh: true };
  }
  return { tokens: await authorizeFully(ctx, session, d, d.scopes), fresh: true };
}
