import type { JSONWebKeySet } from 'jose';
import type { ProtectedResourceMetadata } from './metadata-types.js';

/**
 * The keys of one trusted metadata signer, pinned out of band: a JWKS object, or the
 * https URL of one (fetched with the client's HTTP rules). Never the document's own
 * `jwks_uri`: a key the document itself names proves only that whoever wrote the
 * document also wrote the key set.
 */
export type TrustedSignerKeys = JSONWebKeySet | string | URL;

/**
 * How `discover` treats `signed_metadata` (RFC 9728 §2.2).
 *
 * @example
 * ```ts
 * import { discover } from '@prmkit/client';
 * const result = await discover('https://mcp.example.com/mcp', {
 *   signedMetadata: {
 *     trustedSigners: { 'https://example.com': { keys: [publicJwk] } },
 *     requireSignedMetadata: ['https://mcp.example.com/mcp'], // or 'always'
 *   },
 * });
 * result.resourceMetadataSigner?.issuer; // 'https://example.com'
 * ```
 * @see RFC 9728 §2.2, §3.3, §7.9
 */
export interface SignedMetadataPolicy {
  /**
   * Keys per issuer (`iss`). A document signed by an issuer not listed here fails
   * discovery with `signed_metadata_untrusted_issuer` (RFC 9728 §3.3).
   */
  readonly trustedSigners: Readonly<Record<string, TrustedSignerKeys>>;
  /**
   * Resources whose metadata must be signed (compared as URLs), or `'always'`. An
   * unsigned document for one of them fails with `signed_metadata_missing`. Default none:
   * an unsigned document is used as it is.
   */
  readonly requireSignedMetadata?: 'always' | readonly string[];
  /** Accepted JWS algorithms: asymmetric only. Default RS/PS/ES 256–512, EdDSA, Ed25519. */
  readonly algorithms?: readonly string[];
  /** Seconds of clock skew allowed on `exp`, `nbf`, `iat`. Default 30. */
  readonly clockTolerance?: number;
}

/** Who vouched for a metadata document. */
export interface MetadataSigner {
  /** The JWT `iss`: the party trusted through `trustedSigners`. */
  readonly issuer: string;
  readonly alg: string;
  readonly kid: string | undefined;
  /** Members whose signed value differs from the plain one (or that only the JWT holds). */
  readonly overridden: readonly string[];
}

/** The outcome of {@link verifySignedMetadata}. */
export interface VerifiedMetadata {
  /** The plain members with the signed ones over them (RFC 9728 §2.2: signed values win). */
  readonly document: ProtectedResourceMetadata;
  readonly signer: MetadataSigner;
}
