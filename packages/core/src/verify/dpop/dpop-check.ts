import { PrmkitError, TokenError } from '../../model/errors.js';
import { headerValues, requestPath } from '../../util/headers.js';
import { withinStoreBudget } from '../../state/budget.js';
import type { Store } from '../../state/types.js';
import { hashToken } from '../../util/token-hash.js';
import type { AuthInfo, RequestLike, TokenVerifier } from '../../model/types.js';
import type { HeadersLike } from '../../util/headers.js';
import type { ClientCertificate } from '../../model/client-certificate.js';
import { type CertificateBinding, checkConfirmation } from '../confirmation.js';
import { createDpopNonces } from './dpop-nonce.js';
import type { ResolvedDpop } from './dpop-options.js';
import { verifyDpopProof } from './dpop-proof.js';

/** The outcome of checking a DPoP request: the verified token, or why not. */
export type DpopOutcome =
  | { readonly ok: true; readonly auth: AuthInfo }
  | {
      readonly ok: false;
      /** Why: its code decides the answer (`CODE_TABLE`). */
      readonly error: unknown;
      /** A fresh `DPoP-Nonce` to send (with `use_dpop_nonce`). */
      readonly nonce?: string;
    };

/** What {@link createDpopCheck} needs. */
export interface DpopCheckDeps {
  readonly dpop: ResolvedDpop;
  /** The configured resource: `htu` is built from its origin, never from `Host`. */
  readonly resource: string;
  readonly verifier: TokenVerifier;
  readonly store: Store;
  /** Time budget of a store operation, ms. */
  readonly storeTimeout: number;
  /** How a `cnf["x5t#S256"]` binding is checked (mTLS), next to `cnf.jkt`. */
  readonly certificateBinding: CertificateBinding;
}

const SAFE_JTI = /^[A-Za-z0-9_-]{1,64}$/;

/** Exactly one `DPoP` header (RFC 9449 §4.3 check 1). */
function proofHeader(headers: HeadersLike): string {
  const values = headerValues(headers, 'dpop');
  if (values.length === 0) {
    throw new TokenError('dpop_proof_missing', 'a DPoP proof (the DPoP header) is required');
  }
  // Node joins repeated headers with ", ", a Web `Headers` too; a JWS never has a comma.
  if (values.length > 1 || (values[0] as string).includes(',')) {
    throw new TokenError('dpop_proof_invalid', 'more than one DPoP proof was sent');
  }
  return (values[0] as string).trim();
}

/**
 * The checks of a request with `Authorization: DPoP <token>` (RFC 9449 §4.3, §7.1), in an
 * order that spends nothing on a request that can be refused early: the proof alone
 * (syntax, signature, `htm`, `htu`, `iat`, `ath`), the server nonce, the token (through the
 * verifier), the bindings (`checkConfirmation`: `cnf.jkt` = the proof key's thumbprint, and
 * the certificate when the token is bound to one too), and last the replay
 * check (`jti` once per window, through the store), so an invalid request writes nothing.
 */
export function createDpopCheck(
  deps: DpopCheckDeps,
): (
  req: RequestLike,
  token: string,
  certificate: ClientCertificate | undefined,
) => Promise<DpopOutcome> {
  const { dpop, verifier, store, storeTimeout } = deps;
  const origin = new URL(deps.resource).origin;
  const nonces = dpop.nonce
    ? createDpopNonces(dpop.nonce.secret, deps.resource, dpop.nonce.lifetime, dpop.futureTolerance)
    : undefined;
  // A jti is remembered as long as a proof carrying it could still be accepted.
  const replayTtlMs = (dpop.maxAge + dpop.futureTolerance + 1) * 1000;

  return async function checkDpop(req, token, certificate) {
    let proof;
    try {
      const path = requestPath(req.url)?.path;
      if (path === undefined) throw new TokenError('dpop_proof_invalid', 'unusable request URL');
      proof = await verifyDpopProof(proofHeader(req.headers), {
        method: req.method,
        url: new URL(path, origin).href,
        accessToken: token,
        algorithms: dpop.algorithms,
        maxAge: dpop.maxAge,
        futureTolerance: dpop.futureTolerance,
        signatureBackend: dpop.signatureBackend,
      });
    } catch (error) {
      // Whatever went wrong, it is the proof that cannot be accepted (RFC 9449 §7.1).
      return {
        ok: false,
        error:
          error instanceof PrmkitError
            ? error
            : new TokenError('dpop_proof_invalid', 'the DPoP proof cannot be checked', {
                cause: error,
              }),
      };
    }
    if (nonces && (proof.nonce === undefined || !(await nonces.check(proof.nonce)))) {
      return {
        ok: false,
        error: new TokenError(
          'dpop_nonce_required',
          proof.nonce === undefined
            ? 'the DPoP proof must carry a server nonce'
            : 'the DPoP proof nonce is not valid (any more)',
        ),
        nonce: await nonces.issue(),
      };
    }
    let auth: AuthInfo;
    try {
      auth = verifier.peek?.(token) ?? (await verifier.verify(token));
    } catch (error) {
      return { ok: false, error };
    }
    const failure = await checkConfirmation(
      auth.claims,
      { dpopJkt: proof.jkt, certificate },
      deps.certificateBinding,
    );
    if (failure) return { ok: false, error: failure };
    let fresh: boolean;
    try {
      // A short plain jti is a key as it is; anything else is hashed (printable, bounded).
      const id = SAFE_JTI.test(proof.jti) ? proof.jti : await hashToken(proof.jti);
      const key = `dpop-jti:${proof.jkt}:${id}`;
      fresh = await withinStoreBudget(() => store.addIfAbsent(key, replayTtlMs), storeTimeout);
    } catch (error) {
      return { ok: false, error };
    }
    if (!fresh) {
      return {
        ok: false,
        error: new TokenError('dpop_proof_replayed', 'the DPoP proof was already used ("jti")'),
      };
    }
    return { ok: true, auth };
  };
}
