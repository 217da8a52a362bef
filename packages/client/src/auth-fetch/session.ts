import type { TokenSet } from '../oauth/types.js';
import type { Session } from './session-types.js';
import type { AuthContext } from './context.js';
import { isDpopKeyPair } from '../dpop/dpop-key.js';
import { refreshTokens } from './refresh.js';

/** Milliseconds before `expiresAt` at which a token counts as expired. */
const EXPIRY_SKEW_MS = 30_000;

/** One session per resource URL (origin and path; query and fragment do not matter). */
export class Sessions {
  readonly #byUrl = new Map<string, Session>();

  for(url: URL): Session {
    const id = `${url.origin}${url.pathname}`;
    let session = this.#byUrl.get(id);
    if (!session) {
      session = {
        discovery: undefined,
        key: undefined,
        attempts: 0,
        requested: undefined,
        inflight: undefined,
      };
      this.#byUrl.set(id, session);
    }
    return session;
  }
}

/** The stored tokens of `session`, refreshed first when they are (about to be) expired. */
export async function currentTokens(
  ctx: AuthContext,
  session: Session,
): Promise<TokenSet | undefined> {
  if (!session.key) return undefined;
  const stored = await ctx.store.get(session.key);
  const tokens = stored?.tokens;
  // A DPoP token whose key did not survive storage cannot be used: authorize anew.
  if (!tokens || (tokens.tokenType === 'DPoP' && !isDpopKeyPair(tokens.dpopKey))) return undefined;
  if (tokens.expiresAt !== undefined && tokens.expiresAt - EXPIRY_SKEW_MS <= Date.now()) {
    return refreshTokens(ctx, session, tokens, stored?.client);
  }
  return tokens;
}

/** A freshly issued token was refused: drop it (keep the client) and what discovery knew. */
export async function forgetTokens(ctx: AuthContext, session: Session): Promise<void> {
  if (session.key)
    await ctx.store.set(session.key, {
      client: (await ctx.store.get(session.key))?.client,
      tokens: undefined,
    });
  if (session.discovery) ctx.cache.invalidate(session.discovery.resource, session.discovery.issuer);
}
