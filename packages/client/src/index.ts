export { CLIENT_ERROR_CODES, ClientError } from './errors.js';
export type { ClientErrorCode } from './errors.js';
export type { AllowHttp, AllowPrivateNetwork, UrlPolicy } from './url-policy.js';
export type { FetchLike, HttpPolicy } from './http.js';
export { readChallenges } from './challenges.js';
export type { AuthChallenge } from './challenges.js';
export type { AuthorizationServerMetadata, ProtectedResourceMetadata } from './metadata-types.js';
export {
  authorizationServerMetadataUrls,
  protectedResourceMetadataCandidates,
} from './well-known.js';
export { discover, DiscoveryError, pickChallenge, selectScopes } from './discover.js';
export type { DiscoverOptions } from './discover.js';
export type { DiscoveryResult, DiscoveryStep } from './discover-types.js';
export { verifySignedMetadata } from './signed-metadata.js';
export type {
  MetadataSigner,
  SignedMetadataPolicy,
  TrustedSignerKeys,
  VerifiedMetadata,
} from './signed-metadata-types.js';
export { MetadataCache } from './metadata-cache.js';
export type { MetadataCacheOptions } from './metadata-cache.js';
export { createAuthFetch } from './auth-fetch.js';
export type { AuthFetchOptions, DpopUse } from './auth-fetch.js';
export type { ServerCompatibility } from './auth-fetch/compatibility.js';
export { MemoryCredentialStore, storeKeyId } from './store.js';
export type { CredentialStore, StoreKey, StoredCredentials } from './store.js';
export {
  assertPkceS256,
  createAuthorizationRequest,
  parseAuthorizationResponse,
} from './oauth/authorization.js';
export type {
  AuthorizationRequest,
  AuthorizationRequestInput,
  PkcePolicy,
} from './oauth/authorization.js';
export { createPkce } from './oauth/pkce.js';
export type { Pkce } from './oauth/pkce.js';
export { chooseAuthMethod, registerClient, resolveClientIdentity } from './oauth/registration.js';
export type { ClientIdentityInput } from './oauth/registration.js';
export { clientAssertion, parseTokenResponse, tokenRequest } from './oauth/token.js';
export type { TokenEndpointContext } from './oauth/token.js';
export type {
  ClientIdentity,
  PreRegisteredClient,
  TokenEndpointAuthMethod,
  TokenSet,
} from './oauth/types.js';
export { createDpopProof } from './dpop/dpop-proof.js';
export type { DpopProofInput } from './dpop/dpop-proof.js';
export { DPOP_ALGORITHM, generateDpopKey, isDpopKeyPair } from './dpop/dpop-key.js';
export {
  resourceMetadataProblems,
  validateResourceMetadata,
} from './validation/resource-metadata.js';
export type { ResourceMetadataExpectations } from './validation/resource-metadata.js';
export {
  authorizationServerMetadataProblems,
  validateAuthorizationServerMetadata,
} from './validation/authorization-server-metadata.js';
export type { AuthorizationServerMetadataExpectations } from './validation/authorization-server-metadata.js';
export type { MetadataProblem } from './validation/metadata-problem.js';
