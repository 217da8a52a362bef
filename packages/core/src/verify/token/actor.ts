import { TokenError } from '../../model/errors.js';
import type { TokenActor } from '../../model/types.js';

export type { TokenActor };

/**
 * Which actors a resource accepts: a resource behind a gateway admits only tokens the
 * gateway obtained by token exchange (RFC 8693), whose current actor is the gateway's client.
 *
 * @example
 * ```ts
 * createResourceServer({ ...config, actor: { allowed: ['gateway-client'] } });
 * // also admit tokens with no actor (clients calling directly):
 * createResourceServer({ ...config, actor: { allowed: ['gateway-client'], withoutActor: 'accept' } });
 * ```
 * @see RFC 8693 §4.1
 */
export interface ActorPolicy {
  /**
   * Client ids (or subjects) the current actor must be: the outermost `act`'s `client_id`
   * when it has one, else its `sub`. Compared exactly. At least one.
   */
  readonly allowed: readonly string[];
  /** A token with no `act` at all: `'refuse'` (default) or `'accept'`. */
  readonly withoutActor?: 'refuse' | 'accept';
}

/**
 * Deepest `act` chain read; a deeper one is refused (`claim_invalid`), never walked.
 * RFC 8693 sets no limit; Auth0 documents 5 levels.
 *
 * @example
 * ```ts
 * readActor({ act: deeperThan(MAX_ACTOR_DEPTH) }); // throws TokenError claim_invalid
 * ```
 * @see RFC 8693 §4.1
 */
export const MAX_ACTOR_DEPTH = 8;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function member(act: Record<string, unknown>, name: string, depth: number): string | undefined {
  const value = act[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new TokenError(
    'claim_invalid',
    `the "act" claim's "${name}" (level ${depth}) must be a string`,
  );
}

/**
 * Reads the `act` claim (RFC 8693 §4.1) into a {@link TokenActor} chain, outermost first.
 * `undefined` when the token has none. A value that is not a JSON object, a member that is
 * not a string, or a chain deeper than {@link MAX_ACTOR_DEPTH} → `TokenError`
 * (`claim_invalid`): refused, never crashed on. Iterative, so no input can blow the stack.
 *
 * @example
 * ```ts
 * readActor({ sub: 'user', act: { sub: 'gw', client_id: 'gw' } })?.clientId; // 'gw'
 * ```
 * @see RFC 8693 §4.1
 */
export function readActor(claims: Readonly<Record<string, unknown>>): TokenActor | undefined {
  if (claims.act === undefined) return undefined;
  const chain: Record<string, unknown>[] = [];
  let act: unknown = claims.act;
  while (act !== undefined) {
    if (!isObject(act)) {
      throw new TokenError(
        'claim_invalid',
        'the "act" claim must be a JSON object (RFC 8693 section 4.1)',
      );
    }
    if (chain.length === MAX_ACTOR_DEPTH) {
      throw new TokenError(
        'claim_invalid',
        `the "act" claim nests more than ${MAX_ACTOR_DEPTH} actors`,
      );
    }
    chain.push(act);
    act = act.act;
  }
  let actor: TokenActor | undefined;
  for (let depth = chain.length - 1; depth >= 0; depth--) {
    const act = chain[depth]!;
    actor = Object.freeze({
      subject: member(act, 'sub', depth + 1),
      clientId: member(act, 'client_id', depth + 1),
      issuer: member(act, 'iss', depth + 1),
      ...(actor ? { actor } : {}),
      claims: act,
    });
  }
  return actor;
}

/**
 * Applies an {@link ActorPolicy}: only the current (outermost) actor counts; prior actors
 * are informational (RFC 8693 §4.1). The actor is identified by `act.client_id`, else
 * `act.sub`; an `act.iss` other than the token's issuer names someone in another namespace
 * and never matches. Refusals: `actor_not_allowed` (401 invalid_token).
 *
 * @example
 * ```ts
 * checkActor(readActor(claims), { allowed: ['gateway-client'] }, claims.iss);
 * ```
 * @see RFC 8693 §4.1, §4.3
 */
export function checkActor(
  actor: TokenActor | undefined,
  policy: ActorPolicy,
  issuer: string | undefined,
): void {
  if (actor === undefined) {
    if (policy.withoutActor === 'accept') return;
    throw new TokenError(
      'actor_not_allowed',
      'the token has no actor ("act"); this resource accepts only tokens exchanged by an allowed client',
    );
  }
  const id = actor.clientId ?? actor.subject;
  const sameIssuer = actor.issuer === undefined || actor.issuer === issuer;
  if (id === undefined || !sameIssuer || !policy.allowed.includes(id)) {
    throw new TokenError(
      'actor_not_allowed',
      'the token\'s actor ("act") is not an allowed client',
    );
  }
}
