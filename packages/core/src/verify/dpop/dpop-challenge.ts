import type { Challenge } from '../../www-authenticate/challenge.js';

/** The DPoP part of a resource server's challenges. */
export interface DpopChallengeContext {
  /** `algs` parameter: the accepted proof algorithms, space-separated (RFC 9449 §7.1). */
  readonly algs: string;
  /** Whether Bearer tokens are accepted too (`allowed` mode): then both challenges are sent. */
  readonly bearer: boolean;
}

/**
 * The challenges of a refusal when DPoP is on (RFC 9449 §7.1): a `DPoP` challenge with
 * `algs`, and next to it a `Bearer` one when Bearer is allowed; both carry the shared
 * parameters (`resource_metadata`, `scope`), and the error goes on the scheme the request
 * used (on `DPoP` when Bearer is not accepted).
 */
export function dpopChallenges(
  ctx: DpopChallengeContext,
  shared: Readonly<Record<string, string>>,
  error: Readonly<Record<string, string>> | undefined,
  scheme: 'Bearer' | 'DPoP',
): Challenge[] {
  const onDpop = scheme === 'DPoP' || !ctx.bearer;
  const dpop: Challenge = {
    scheme: 'DPoP',
    params: { algs: ctx.algs, ...shared, ...(onDpop ? error : undefined) },
  };
  if (!ctx.bearer) return [dpop];
  return [{ scheme: 'Bearer', params: { ...shared, ...(onDpop ? undefined : error) } }, dpop];
}
