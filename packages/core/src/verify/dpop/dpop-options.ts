import type { Store } from '../../state/types.js';
import type { SignatureBackend } from '../token/signature-backend.js';

/** How a resource server treats DPoP (RFC 9449). */
export type DpopMode = 'off' | 'allowed' | 'required';

/**
 * DPoP (RFC 9449) at the resource server: `Authorization: DPoP <token>` with a `DPoP`
 * proof header, checked per RFC 9449 §4.3 and §7.1.
 *
 * @example
 * ```ts
 * import { createResourceServer } from '@prmkit/core';
 *
 * const rs = createResourceServer({
 *   resource: 'https://api.example.com/mcp',
 *   authorizationServers: ['https://auth.example.com'],
 *   dpop: { mode: 'required', nonce: { secret: process.env.DPOP_NONCE_SECRET! } },
 * });
 * ```
 * @see RFC 9449 §4.3 (proof checks), §7.1 (challenges), §9 (server nonces)
 */
export interface DpopOptions {
  /**
   * `off` (the default): DPoP-bound tokens are refused and `Authorization: DPoP` is an
   * unsupported scheme. `allowed`: Bearer and DPoP tokens. `required`: only DPoP
   * (`dpop_bound_access_tokens_required: true` in the metadata).
   */
  readonly mode: DpopMode;
  /**
   * Proof signing algorithms accepted (advertised as `dpop_signing_alg_values_supported`).
   * Asymmetric only. Default ES256, ES384, ES512, PS256, PS384, PS512, RS256, RS384, RS512,
   * EdDSA, Ed25519.
   */
  readonly algorithms?: readonly string[];
  /** How old a proof's `iat` may be, seconds. Default 300. Into the future: `clockTolerance`. */
  readonly maxAge?: number;
  /**
   * Server nonces (RFC 9449 §9): when set, every proof must carry a `nonce` this server
   * issued, else 401 `use_dpop_nonce` with a fresh `DPoP-Nonce`. Nonces are stateless (an
   * HMAC-authenticated timestamp): give every instance the same `secret` and they accept
   * each other's nonces with no shared state. Without `secret`, a random one per process.
   */
  readonly nonce?: {
    /** At least 32 characters (or bytes). */
    readonly secret?: string | Uint8Array;
    /** Seconds a nonce stays valid. Default 300. */
    readonly lifetime?: number;
  };
}

/**
 * The asymmetric algorithms accepted for DPoP proofs by default.
 *
 * @example
 * ```ts
 * const rs = createResourceServer({ ...config, dpop: { mode: 'allowed', algorithms: ['ES256'] } });
 * DEFAULT_DPOP_ALGORITHMS.includes('ES256'); // true
 * ```
 * @see RFC 9449 §5.1 (`dpop_signing_alg_values_supported`), RFC 7518 §3
 */
export const DEFAULT_DPOP_ALGORITHMS: readonly string[] = Object.freeze([
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
  'Ed25519',
]);

/** DPoP settings after validation, with every default applied. */
export interface ResolvedDpop {
  readonly mode: 'allowed' | 'required';
  readonly algorithms: readonly string[];
  /** Seconds into the past a proof's `iat` may be. */
  readonly maxAge: number;
  /** Seconds into the future (the configured clock tolerance). */
  readonly futureTolerance: number;
  readonly nonce: { readonly secret: Uint8Array; readonly lifetime: number } | undefined;
  /** Checks proof signatures: the configured `jwt.signatureBackend`, else Web Crypto. */
  readonly signatureBackend: SignatureBackend;
}

/** DPoP settings with the store that remembers proof `jti`s and the metadata members. */
export interface ResolvedDpopSetup extends ResolvedDpop {
  readonly store: Store;
  /** Time budget of a store operation, ms. */
  readonly storeTimeout: number;
  readonly metadata: {
    readonly dpopSigningAlgValuesSupported: readonly string[];
    readonly dpopBoundAccessTokensRequired: true | undefined;
  };
}
