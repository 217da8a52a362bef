import { TokenError } from '../../model/errors.js';
import type { ActorPolicy } from './actor.js';

/** RFC 9068 §2.2 claims required by default, which a profile may name as not issued. */
export type RequiredClaim = 'sub' | 'client_id' | 'iat';

/**
 * How one authorization server's access tokens deviate from RFC 9068, stated explicitly.
 * The `profiles` functions (`profiles.entra`, `profiles.cognito`, ...) return one as the
 * `profile` member of their configuration fragment; you can also write your own.
 *
 * @example
 * ```ts
 * import type { TokenProfile } from '@prmkit/core/verify';
 * const profile: TokenProfile = { name: 'my-as', clientIdClaims: ['client_id', 'azp'] };
 * ```
 * @see RFC 9068 §2.2 (required claims), RFC 8707 §2 (audience)
 */
export interface TokenProfile {
  /** Shown in refusals and decision events, e.g. `'entra'`. */
  readonly name: string;
  /** Claims that carry the client id, first present wins. Default `['client_id']`. */
  readonly clientIdClaims?: readonly string[];
  /** RFC 9068 §2.2 claims this IdP does not issue, so they are not required. */
  readonly notIssued?: readonly RequiredClaim[];
  /** When set, a token of any other client is refused (`claim_invalid`). */
  readonly allowedClientIds?: readonly string[];
  /**
   * What binds a token to this resource: `'aud'` (default, exact, RFC 8707) or
   * `'client_id'` for IdPs that issue no `aud` at all (Amazon Cognito); then
   * `allowedClientIds` is required and is the binding.
   */
  readonly audienceBinding?: 'aud' | 'client_id';
  /**
   * Accepts issuers beyond `authorizationServers` from the token's own claims (Entra ID
   * multi-tenant: `https://login.microsoftonline.com/{tid}/v2.0` for an allowed `tid`).
   * Called before the signature is checked too (to pick the issuer), so the configuration
   * must give a fixed `jwt.jwksUri`: keys never come from an issuer the token names.
   */
  readonly acceptIssuer?: (issuer: string, claims: Readonly<Record<string, unknown>>) => boolean;
  /** Reads the granted scopes instead of `jwt.scopeClaims` (Entra `scp`/`roles`). */
  readonly readScopes?: (claims: Readonly<Record<string, unknown>>) => readonly string[];
  /** Further checks on the verified claims; throws `TokenError` to refuse. */
  readonly checkClaims?: (claims: Readonly<Record<string, unknown>>) => void;
}

/** The profile-related part of the claim rules. */
export interface ProfileClaimRules {
  /**
   * Audience values accepted besides the resource identifier (Entra `api://<app-id>`).
   * A token accepted through one carries `audienceAlias` in its `AuthInfo`.
   */
  readonly audienceAliases?: readonly string[];
  readonly profile?: TokenProfile;
  /** Which current actors (RFC 8693 §4.1 `act`) are accepted; default any, or none. */
  readonly actor?: ActorPolicy;
}

function label(profile: TokenProfile | undefined): string {
  return profile ? ` (profile ${profile.name})` : '';
}

/** Whether `issuer` is accepted: one of `issuers`, or one the profile derives from the claims. */
export function issuerAccepted(
  issuer: string,
  issuers: readonly string[],
  claims: Readonly<Record<string, unknown>>,
  profile: TokenProfile | undefined,
): boolean {
  if (issuers.includes(issuer)) return true;
  try {
    return profile?.acceptIssuer?.(issuer, claims) === true;
  } catch {
    return false;
  }
}

/**
 * The audience rule: `aud` contains the resource exactly, or one of the aliases exactly.
 * Returns the alias used, when one was.
 */
export function checkAudience(
  audience: readonly string[],
  resource: string,
  rules: ProfileClaimRules,
): string | undefined {
  if (audience.includes(resource)) return undefined;
  const alias = rules.audienceAliases?.find((a) => audience.includes(a));
  if (alias !== undefined) return alias;
  throw new TokenError(
    'audience_mismatch',
    `the token audience does not include this resource${
      rules.audienceAliases?.length ? ' or one of its audienceAliases' : ''
    }${label(rules.profile)}`,
  );
}

function stringClaim(claims: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new TokenError('claim_invalid', `the "${name}" claim must be a non-empty string`);
  return value;
}

/**
 * RFC 9068 §2.2: `sub`, `client_id` and `iat` are required unless the profile says the
 * IdP does not issue them; the client id is read from the profile's claim names, and
 * checked against its allow-list. Returns the subject and client id.
 */
export function checkRequiredClaims(
  claims: Readonly<Record<string, unknown>>,
  profile: TokenProfile | undefined,
  required: readonly RequiredClaim[] = ['sub', 'client_id', 'iat'],
): { subject: string | undefined; clientId: string | undefined } {
  const notIssued = [
    ...(profile?.notIssued ?? []),
    ...(['sub', 'client_id', 'iat'] as const).filter((c) => !required.includes(c)),
  ];
  const subject = stringClaim(claims, 'sub');
  if (subject === undefined && !notIssued.includes('sub'))
    throw new TokenError(
      'claim_missing',
      `the token has no "sub" claim (RFC 9068 §2.2)${label(profile)}`,
    );
  if (claims.iat === undefined && !notIssued.includes('iat'))
    throw new TokenError(
      'claim_missing',
      `the token has no "iat" claim (RFC 9068 §2.2)${label(profile)}`,
    );
  const names = profile?.clientIdClaims ?? ['client_id'];
  let clientId: string | undefined;
  for (const name of names) {
    clientId = stringClaim(claims, name);
    if (clientId !== undefined) break;
  }
  if (clientId === undefined && !notIssued.includes('client_id')) {
    throw new TokenError(
      'claim_missing',
      `the token has no client id claim (${names.map((n) => JSON.stringify(n)).join(', ')}; RFC 9068 §2.2)${label(profile)}`,
    );
  }
  const allowed = profile?.allowedClientIds;
  const mustBeAllowed = allowed !== undefined || profile?.audienceBinding === 'client_id';
  if (mustBeAllowed && (clientId === undefined || !(allowed ?? []).includes(clientId))) {
    // With `audienceBinding: 'client_id'` the allow-list is the audience check.
    throw new TokenError(
      profile?.audienceBinding === 'client_id' ? 'audience_mismatch' : 'claim_invalid',
      `the token was issued to a client this resource does not accept${label(profile)}`,
    );
  }
  return { subject, clientId };
}
