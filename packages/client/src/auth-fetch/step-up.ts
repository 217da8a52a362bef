import { readChallenges } from '../challenges.js';
import { pickChallenge } from '../discover.js';
import type { TokenSet } from '../oauth/types.js';
import type { Session } from './session-types.js';

/**
 * A 403 whose challenge says `insufficient_scope`: the token is good but needs more scopes.
 *
 * @see RFC 6750 §3.1, MCP 2025-11-25 authorization (step-up authorization flow)
 */
export function isStepUp(res: Response): boolean {
  return (
    res.status === 403 && readChallenges(res.headers).some((c) => c.error === 'insufficient_scope')
  );
}

/**
 * The scopes to ask for on a step-up: those of the token sent, those asked for last time and
 * those the challenge names (a union, so that no scope granted before is lost).
 */
export function stepUpScopes(
  res: Response,
  sent: TokenSet | undefined,
  session: Session,
): string[] | undefined {
  const challenge = pickChallenge(readChallenges(res.headers));
  const out = new Set<string>();
  for (const list of [sent?.scopes, session.requested, challenge?.scope])
    for (const s of list ?? []) out.add(s);
  return out.size === 0 ? undefined : [...out];
}
