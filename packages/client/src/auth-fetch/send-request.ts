import { readChallenges } from '../challenges.js';
import { isDpopKeyPair } from '../dpop/dpop-key.js';
import { createDpopProof } from '../dpop/dpop-proof.js';
import type { TokenSet } from '../oauth/types.js';
import type { AuthContext } from './context.js';
import type { Session } from './session-types.js';

/**
 * Sends a copy of `original`, with the token only when it goes to the resource's origin:
 * `Authorization: Bearer`, or for a DPoP-bound token `Authorization: DPoP` with a fresh
 * proof (`ath`, the resource server's last nonce). A `use_dpop_nonce` refusal that brings
 * a new `DPoP-Nonce` is retried once with it (RFC 9449 §9); that is not an authorization.
 */
export async function sendRequest(
  ctx: AuthContext,
  original: Request,
  session: Session,
  tokens: TokenSet | undefined,
): Promise<Response> {
  const target = new URL(original.url);
  const toResource =
    tokens !== undefined &&
    session.discovery !== undefined &&
    new URL(session.discovery.resource).origin === target.origin;
  const key = toResource && isDpopKeyPair(tokens.dpopKey) ? tokens.dpopKey : undefined;
  if (!toResource || tokens.tokenType !== 'DPoP' || !key) {
    const headers = new Headers(original.headers);
    if (toResource) headers.set('authorization', `Bearer ${tokens.accessToken}`);
    return ctx.fetch(new Request(original.clone(), { headers }));
  }
  const attempt = async (): Promise<Response> => {
    const headers = new Headers(original.headers);
    headers.set('authorization', `DPoP ${tokens.accessToken}`);
    const nonce = ctx.nonces.get('rs', target.origin);
    headers.set(
      'dpop',
      await createDpopProof(key, {
        method: original.method,
        url: target,
        accessToken: tokens.accessToken,
        nonce,
      }),
    );
    const res = await ctx.fetch(new Request(original.clone(), { headers }));
    return res;
  };
  const before = ctx.nonces.get('rs', target.origin);
  let res = await attempt();
  const fresh = ctx.nonces.remember('rs', target.origin, res.headers);
  const wantsNonce =
    res.status === 401 && readChallenges(res.headers).some((c) => c.error === 'use_dpop_nonce');
  if (wantsNonce && fresh !== undefined && fresh !== before) {
    await res.body?.cancel().catch(() => undefined);
    res = await attempt();
    ctx.nonces.remember('rs', target.origin, res.headers);
  }
  return res;
}
