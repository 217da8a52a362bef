import { TokenError, UpstreamError } from '../../model/errors.js';
import type { AuthInfo, TokenVerifier, VerifyContext } from '../../model/types.js';
import { validateAccessTokenClaims } from './claims.js';
import type { AccessTokenClaimRules } from './claims.js';
import { isJsonObject } from './http.js';

/** Your lookup: the token's claims, or `null`/`undefined` when the token is unknown. */
export type ClaimsLookup = (
  token: string,
  context: VerifyContext,
) => Promise<Record<string, unknown> | null | undefined>;

/**
 * Builds a verifier from your own lookup (a database, an opaque-token service, another
 * library), then applies the same audience, issuer, expiry and scope rules as the
 * built-in verifiers. `null`/`undefined` → `TokenError('verifier_rejected')`; a thrown
 * `TokenError` passes through unchanged; any other throw → `UpstreamError('verifier_failed')`
 * with the original error as `cause` (fail closed).
 *
 * @example
 * ```ts
 * const verifier = verifyWith(async (token) => db.accessTokens.findClaims(token), {
 *   resource: 'https://api.example.com/mcp',
 *   issuers: ['https://as.example.com'],
 *   clockTolerance: 30,
 *   scopeClaims: ['scope'],
 * });
 * ```
 * @see RFC 9068 §4 (the claim rules applied), RFC 6750 §3.1
 */
export function verifyWith(fn: ClaimsLookup, rules: AccessTokenClaimRules): TokenVerifier {
  return {
    async verify(token: string, context?: VerifyContext): Promise<AuthInfo> {
      let claims: unknown;
      try {
        claims = await fn(token, context ?? {});
      } catch (cause) {
        if (cause instanceof TokenError) throw cause;
        throw new UpstreamError('verifier_failed', 'the token verification function failed', {
          cause,
        });
      }
      if (claims === null || claims === undefined) {
        throw new TokenError(
          'verifier_rejected',
          'the token verification function rejected the token',
        );
      }
      if (!isJsonObject(claims)) {
        throw new UpstreamError(
          'verifier_failed',
          'the token verification function did not return an object',
        );
      }
      return validateAccessTokenClaims(claims, token, rules);
    },
  };
}
