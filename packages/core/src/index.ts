// @prmkit/core — the framework-agnostic engine. Web APIs only.
// What only adapter authors need lives in ./adapter.ts (`@prmkit/core/adapter`).
export {
  createResourceServer,
  isResourceServer,
  type ResourceServer,
  type ResourceServerInput,
} from './resource-server.js';
export type { RequireAuthOptions } from './route-requirement.js';
export type {
  BearerMethod,
  IntrospectionClientAuth,
  IntrospectionOptions,
  JwtOptions,
  ResourceServerConfig,
} from './config-types.js';
export type {
  AuthorizeDecision,
  AuthorizeFailure,
  AuthorizeOptions,
  AuthorizeResult,
  AuthorizeSuccess,
  ExpectedValues,
  MetadataResponse,
} from './authorize-types.js';
export * from './decision/index.js';
export type { AuthInfo, HeadersLike, RequestLike, TokenVerifier, VerifyContext } from './types.js';
export type { ProtectedResourceMetadata } from './metadata.js';
export { METADATA_WELL_KNOWN, metadataUrlFor } from './well-known.js';
export {
  type ConfigIssue,
  HeaderValueError,
  PrmkitConfigError,
  PRMKIT_ERROR_CODES,
  PrmkitError,
  type PrmkitErrorCode,
  TOKEN_ERROR_CODES,
  TokenError,
  type TokenErrorCode,
  UPSTREAM_ERROR_CODES,
  UpstreamError,
  type UpstreamErrorCode,
} from './errors.js';
export * from './www-authenticate/index.js';
export * from './token/index.js';
export * from './cache/index.js';
export * from './store/index.js';
export { checkUrl, isLoopbackHost, isSecureUrl, sameUrl } from './url.js';
export type { UrlCheck, UrlProblem, UrlRefusal, UrlSafetyOptions } from './url.js';
export { isJsonMediaType } from './media-type.js';
export { isScopeToken } from './scope.js';
export { profiles } from './profiles/index.js';
export type {
  Auth0ProfileOptions,
  CognitoProfileOptions,
  EntraProfileOptions,
  GithubProfileOptions,
  GoogleProfileOptions,
  KeycloakProfileOptions,
  OktaProfileOptions,
  OpaqueTokenEndpointOptions,
  ProfileFragment,
  WorkosProfileOptions,
} from './profiles/index.js';
export type { RequiredClaim, TokenProfile } from './token/claim-profile.js';
export * from './dpop/index.js';
