import { TokenError } from '../model/errors.js';
import type { ClientCertificate } from '../model/client-certificate.js';
import { certificateThumbprint } from './mtls/thumbprint.js';

/**
 * The `cnf` members prmkit can check: a DPoP key thumbprint (RFC 9449 §6.1) and a client
 * certificate thumbprint (RFC 8705 §3.1).
 */
export type ConfirmationMethod = 'jkt' | 'x5t#S256';

/** A token's confirmation (`cnf`), read and type-checked. */
export interface Confirmation {
  readonly jkt: string | undefined;
  readonly x5tS256: string | undefined;
  /** Members prmkit cannot check (`jwk`, `x5t`, `kid`, ...). */
  readonly others: readonly string[];
}

const NONE: Confirmation = Object.freeze({ jkt: undefined, x5tS256: undefined, others: [] });

function member(cnf: Record<string, unknown>, name: string): string | undefined {
  const value = cnf[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new TokenError('claim_invalid', `"cnf.${name}" must be a non-empty string`);
  }
  return value;
}

/**
 * The `cnf` claim of a token (a JWT or an introspection answer, RFC 8705 §3.2). Throws
 * `claim_invalid` when it is not an object or a member it knows is not a string.
 */
export function readConfirmation(claims: Readonly<Record<string, unknown>>): Confirmation {
  const cnf = claims.cnf;
  if (cnf === undefined) return NONE;
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) {
    throw new TokenError('claim_invalid', 'the "cnf" claim must be a JSON object');
  }
  const record = cnf as Record<string, unknown>;
  return {
    jkt: member(record, 'jkt'),
    x5tS256: member(record, 'x5t#S256'),
    others: Object.keys(record).filter((k) => k !== 'jkt' && k !== 'x5t#S256'),
  };
}

/**
 * Refuses a sender-constrained token whose binding this resource server does not check
 * (`checked` lists what `authorize` checks against the request's proof). The built-in
 * verifiers call it, so a token bound to a key or certificate is never accepted as a plain
 * bearer token by a verifier used on its own: the downgrade RFC 9449 §7.2 and RFC 8705 §3
 * forbid.
 *
 * @example
 * ```ts
 * refuseUncheckedBinding(claims, ['jkt']); // throws for { cnf: { 'x5t#S256': '...' } }
 * ```
 * @see RFC 9449 §7.2, RFC 8705 §3
 */
export function refuseUncheckedBinding(
  claims: Readonly<Record<string, unknown>>,
  checked: readonly ConfirmationMethod[] = [],
): void {
  if (claims.cnf === undefined) return;
  const cnf = readConfirmation(claims);
  const unchecked = [
    ...(cnf.jkt !== undefined && !checked.includes('jkt') ? ['jkt'] : []),
    ...(cnf.x5tS256 !== undefined && !checked.includes('x5t#S256') ? ['x5t#S256'] : []),
    ...cnf.others,
  ];
  if (unchecked.length > 0 || (cnf.jkt === undefined && cnf.x5tS256 === undefined)) {
    throw new TokenError(
      'claim_invalid',
      `the token is sender-constrained ("cnf": ${unchecked.join(', ') || 'empty'}) and that ` +
        'proof of possession is not checked here; refused as a bearer token ' +
        '(turn on dpop or mtls, or use a verifier that checks it)',
    );
  }
}

/** The proofs a request brought, for {@link checkConfirmation}. */
export interface PresentedProofs {
  /**
   * The thumbprint of the DPoP proof's key when the token came with `Authorization: DPoP`
   * and a valid proof; `undefined` for `Bearer`.
   */
  readonly dpopJkt: string | undefined;
  /** The client certificate of the request (TLS or a trusted proxy's header), if any. */
  readonly certificate: ClientCertificate | undefined;
}

/** How certificate binding is enforced: `off` leaves `x5t#S256` to the verifier. */
export type CertificateBinding = 'off' | 'allowed' | 'required';

/**
 * Why a token's binding does not hold: a `TokenError` whose code (`CODE_TABLE`) gives the
 * answer (`invalid_token`, `invalid_dpop_proof`; `invalid_request` for a certificate that
 * cannot be read).
 */
export type ConfirmationFailure = TokenError;

const fail = (
  reason: ConstructorParameters<typeof TokenError>[0],
  message: string,
): ConfirmationFailure => new TokenError(reason, message);

/**
 * The one rule for a token's `cnf` against the request's proofs; every binding present must
 * hold (a token bound both to a DPoP key and to a certificate needs both):
 *
 * - DPoP scheme: `cnf.jkt` required (`dpop_token_not_bound`) and equal to the proof key's
 *   thumbprint (`dpop_key_mismatch`, `invalid_dpop_proof`).
 * - Bearer scheme: no `cnf.jkt` (`dpop_bound_token_as_bearer`, RFC 9449 §7.2).
 * - mTLS on: `cnf["x5t#S256"]` needs a client certificate (`mtls_certificate_missing`)
 *   whose SHA-256 thumbprint it equals (`mtls_certificate_mismatch`); in `required` mode a
 *   token without it is refused (`mtls_token_not_bound`). All `invalid_token` (RFC 8705 §3).
 *
 * Synchronous unless a certificate thumbprint has to be computed.
 *
 * @example
 * ```ts
 * const failure = await checkConfirmation(auth.claims, { dpopJkt: undefined, certificate }, 'required');
 * if (failure) refuse(failure); // its code: mtls_certificate_mismatch, ...
 * ```
 * @see RFC 8705 §3, RFC 9449 §7.1, §7.2
 */
export function checkConfirmation(
  claims: Readonly<Record<string, unknown>>,
  proofs: PresentedProofs,
  binding: CertificateBinding,
): ConfirmationFailure | undefined | Promise<ConfirmationFailure | undefined> {
  let cnf: Confirmation;
  try {
    cnf = readConfirmation(claims);
  } catch (error) {
    return error as TokenError;
  }
  if (proofs.dpopJkt !== undefined) {
    if (cnf.jkt === undefined) {
      return fail('dpop_token_not_bound', 'the access token is not DPoP-bound (no cnf.jkt)');
    }
    if (cnf.jkt !== proofs.dpopJkt) {
      return fail(
        'dpop_key_mismatch',
        'the DPoP proof key is not the key the access token is bound to (cnf.jkt)',
      );
    }
  } else if (cnf.jkt !== undefined) {
    return fail(
      'dpop_bound_token_as_bearer',
      'the access token is DPoP-bound: present it with the DPoP scheme and a proof',
    );
  }
  if (binding === 'off') return undefined;
  const expected = cnf.x5tS256;
  if (expected === undefined) {
    return binding === 'required'
      ? fail(
          'mtls_token_not_bound',
          'this resource accepts certificate-bound access tokens only (no cnf["x5t#S256"])',
        )
      : undefined;
  }
  const { certificate } = proofs;
  if (certificate === undefined) {
    return fail(
      'mtls_certificate_missing',
      'the access token is bound to a client certificate and none was presented',
    );
  }
  return certificateThumbprint(certificate).then(
    (actual) =>
      actual === expected
        ? undefined
        : fail(
            'mtls_certificate_mismatch',
            'the client certificate is not the one the access token is bound to (cnf["x5t#S256"])',
          ),
    (error: unknown) => error as TokenError,
  );
}
