import { TokenError } from '../../model/errors.js';
import type { AuthInfo } from '../../model/types.js';
import { checkAudience, checkRequiredClaims, issuerAccepted } from './claim-profile.js';
import type { RequiredClaim } from './claim-profile.js';
import type { ProfileClaimRules } from './claim-profile.js';
import { checkActor, readActor } from './actor.js';

/** What {@link validateAccessTokenClaims} checks a token's claims against. */
export interface AccessTokenClaimRules extends ProfileClaimRules {
  /** The resource identifier; `aud` must contain it exactly (RFC 8707, RFC 9068 §4). */
  readonly resource: string;
  /** Accepted issuer identifiers, compared by string equality (RFC 9068 §4). */
  readonly issuers: readonly string[];
  /** Seconds of clock skew allowed on `exp`, `nbf` and `iat`. */
  readonly clockTolerance: number;
  /** Claims scopes are read from: `scope` (space-delimited string) and/or `scp`. */
  readonly scopeClaims: readonly ('scope' | 'scp')[];
  /** Whether `iss` must be present. Default true (false suits RFC 7662 responses). */
  readonly requireIssuer?: boolean;
  /**
   * RFC 9068 §2.2 claims that must be present. Default all three (`sub`, `client_id`,
   * `iat`) for JWT access tokens; an RFC 7662 §2.2 introspection answer makes each OPTIONAL,
   * so the introspection verifier requires none (a profile may still name its client claim).
   */
  readonly requiredClaims?: readonly RequiredClaim[];
  /** Current time in seconds since the epoch. Default the system clock. */
  readonly now?: () => number;
  /**
   * Only for opaque-token services that bind no audience at all (GitHub), reached through a
   * profile that demands an explicit acknowledgement; never from configuration.
   */
  readonly unboundAudience?: 'acknowledged';
}

function optionalString(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new TokenError('claim_invalid', `the "${name}" claim must be a string`);
  return value;
}

function optionalNumber(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TokenError('claim_invalid', `the "${name}" claim must be a number of seconds`);
  }
  return value;
}

function splitScopes(value: string): string[] {
  return value.split(' ').filter((s) => s !== '');
}

function readScopes(claims: Record<string, unknown>, from: readonly ('scope' | 'scp')[]): string[] {
  const scopes = new Set<string>();
  if (from.includes('scope') && claims.scope !== undefined) {
    if (typeof claims.scope !== 'string') {
      throw new TokenError('claim_invalid', 'the "scope" claim must be a space-delimited string');
    }
    for (const s of splitScopes(claims.scope)) scopes.add(s);
  }
  if (from.includes('scp') && claims.scp !== undefined) {
    const scp = claims.scp;
    if (typeof scp === 'string') for (const s of splitScopes(scp)) scopes.add(s);
    else if (Array.isArray(scp) && scp.every((s): s is string => typeof s === 'string')) {
      for (const s of scp) if (s !== '') scopes.add(s);
    } else
      throw new TokenError(
        'claim_invalid',
        'the "scp" claim must be a string or an array of strings',
      );
  }
  return [...scopes];
}

function readAudience(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (aud === undefined) throw new TokenError('claim_missing', 'the token has no "aud" claim');
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud) && aud.every((a): a is string => typeof a === 'string')) return [...aud];
  throw new TokenError('claim_invalid', 'the "aud" claim must be a string or an array of strings');
}

/**
 * Checks the claims of an access token (from a verified JWT, an introspection response or
 * a custom verifier) and normalizes them into `AuthInfo`. This is the single place these
 * rules live:
 *
 * - `iss` equals one of `issuers` exactly → else `issuer_mismatch` (`claim_missing` when
 *   absent and required).
 * - `aud` (string or array) contains `resource` exactly, byte for byte → else
 *   `audience_mismatch`; no normalization, so `…/mcp/`, `…/MCP` and `…/mcp-admin` all fail.
 * - `exp` present and numeric (`claim_missing` / `claim_invalid`); refused once
 *   `now >= exp + clockTolerance` → `token_expired`.
 * - `nbf` later than `now + clockTolerance` → `token_not_yet_valid`.
 * - `iat` later than `now + clockTolerance` → `token_issued_in_future`.
 * - `sub`, `client_id` and `iat` present (RFC 9068 §2.2; `requiredClaims`) → else `claim_missing`, unless
 *   the `profile` names them as not issued; the client id is read from the profile's
 *   claim names (`azp`, `appid`, `cid`), `client_id` otherwise.
 * - `aud` may instead match one of `audienceAliases` (reported as `audienceAlias`).
 * - scopes from `scope` (space-delimited) and, when enabled, `scp` (array or string).
 * - `act` (RFC 8693 §4.1) read into `actor` (a non-object or a chain deeper than 8 →
 *   `claim_invalid`); with `actor` rules, the current actor must be allowed →
 *   else `actor_not_allowed`.
 *
 * @example
 * ```ts
 * const auth = validateAccessTokenClaims(payload, token, {
 *   resource: 'https://api.example.com/mcp',
 *   issuers: ['https://as.example.com'],
 *   clockTolerance: 30,
 *   scopeClaims: ['scope'],
 * });
 * auth.scopes; // ['read', 'write']
 * ```
 * @see RFC 9068 §4 (validation), RFC 8707 §2 (audience = resource), RFC 7519 §4.1
 */
export function validateAccessTokenClaims(
  claims: Readonly<Record<string, unknown>>,
  token: string,
  rules: AccessTokenClaimRules,
): AuthInfo {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TokenError('token_malformed', 'the token claims are not a JSON object');
  }
  const c = claims as Record<string, unknown>;
  const now = rules.now?.() ?? Math.floor(Date.now() / 1000);
  const tolerance = rules.clockTolerance;

  const issuer = optionalString(c, 'iss');
  if (issuer === undefined) {
    if (rules.requireIssuer !== false)
      throw new TokenError('claim_missing', 'the token has no "iss" claim');
  } else if (!issuerAccepted(issuer, rules.issuers, c, rules.profile)) {
    throw new TokenError(
      'issuer_mismatch',
      'the token issuer is not an accepted authorization server',
    );
  }

  const bindsByClient =
    rules.profile?.audienceBinding === 'client_id' || rules.unboundAudience === 'acknowledged';
  const audience = bindsByClient && c.aud === undefined ? [] : readAudience(c);
  const audienceAlias = bindsByClient ? undefined : checkAudience(audience, rules.resource, rules);

  const expiresAt = optionalNumber(c, 'exp');
  if (expiresAt === undefined)
    throw new TokenError('claim_missing', 'the token has no "exp" claim');
  if (now >= expiresAt + tolerance) throw new TokenError('token_expired', 'the token has expired');

  const notBefore = optionalNumber(c, 'nbf');
  if (notBefore !== undefined && notBefore > now + tolerance) {
    throw new TokenError('token_not_yet_valid', 'the token is not valid yet ("nbf")');
  }
  const issuedAt = optionalNumber(c, 'iat');
  if (issuedAt !== undefined && issuedAt > now + tolerance) {
    throw new TokenError('token_issued_in_future', 'the token was issued in the future ("iat")');
  }

  const { subject, clientId } = checkRequiredClaims(c, rules.profile, rules.requiredClaims);
  rules.profile?.checkClaims?.(c);
  const actor = readActor(c);
  if (rules.actor) checkActor(actor, rules.actor, issuer);

  return {
    token,
    subject,
    clientId,
    scopes: rules.profile?.readScopes
      ? [...rules.profile.readScopes(c)]
      : readScopes(c, rules.scopeClaims),
    audience,
    issuer,
    expiresAt,
    claims: c,
    ...(audienceAlias !== undefined ? { audienceAlias } : {}),
    ...(actor !== undefined ? { actor } : {}),
  };
}
