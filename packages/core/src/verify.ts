// @prmkit/core/verify — token verifiers and their building blocks, for setups that go past
// `createResourceServer`'s options: a verifier of your own, a cache in front of it, a DPoP
// proof checked by hand. Web APIs only.
export { createJwtVerifier, type JwtVerifierOptions } from './verify/token/jwt-verifier.js';
export {
  createIntrospectionVerifier,
  type IntrospectionVerifierOptions,
} from './verify/token/introspection-verifier.js';
export { verifyWith, type ClaimsLookup } from './verify/token/function-verifier.js';
export {
  createCachingVerifier,
  type CachingVerifier,
  type TokenCacheOptions,
} from './verify/cache/caching-verifier.js';
export { validateAccessTokenClaims, type AccessTokenClaimRules } from './verify/token/claims.js';
export type { RequiredClaim } from './verify/token/claim-profile.js';
export { checkActor, MAX_ACTOR_DEPTH, readActor } from './verify/token/actor.js';
export {
  extractBearerToken,
  type ExtractedToken,
  type ExtractOptions,
} from './verify/token/extract.js';
export { DEFAULT_JWT_ALGORITHMS } from './verify/token/algorithms.js';
export { type SignatureBackend, webCryptoBackend } from './verify/token/signature-backend.js';
export type { JwsAlgorithm, JwsKeyFamily } from './verify/token/jws-algorithm.js';
export { DEFAULT_DPOP_ALGORITHMS, type DpopMode } from './verify/dpop/dpop-options.js';
export {
  MAX_DPOP_PROOF_LENGTH,
  type DpopProofExpectations,
  type VerifiedDpopProof,
  verifyDpopProof,
} from './verify/dpop/dpop-proof.js';
export { isScopeToken } from './decide/scope.js';
export {
  DEFAULT_CERTIFICATE_HEADERS,
  MAX_CERTIFICATE_BYTES,
  MAX_CERTIFICATE_HEADER_LENGTH,
} from './verify/mtls/mtls-options.js';
export { decodeCertificateHeader } from './verify/mtls/header-formats.js';
export { certificateThumbprint } from './verify/mtls/thumbprint.js';
export {
  type CertificateBinding,
  checkConfirmation,
  type ConfirmationFailure,
  type ConfirmationMethod,
  type PresentedProofs,
  refuseUncheckedBinding,
} from './verify/confirmation.js';
// Option and result types that live inside `ResourceServerConfig` and `AuthInfo`, by name.
export type { IntrospectionClientAuth } from './verify/token/introspection-verifier.js';
export type { CertificateHeaderFormat, MtlsMode } from './verify/mtls/mtls-options.js';
export type { TokenProfile } from './verify/token/claim-profile.js';
export type { ActorPolicy } from './verify/token/actor.js';
export type { TokenActor } from './model/types.js';
export type {
  MetadataSigningAlgorithm,
  MetadataSigningKey,
} from './model/signed-metadata-types.js';
