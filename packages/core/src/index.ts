// @prmkit/core — the framework-agnostic engine. Web APIs only.
// What only adapter authors need lives in ./adapter.ts (`@prmkit/core/adapter`).
export {
  createResourceServer,
  isResourceServer,
  type ResourceServer,
  type ResourceServerInput,
} from './server/resource-server.js';
export type { RequireAuthOptions } from './http/route-requirement.js';
export type {
  BearerMethod,
  IntrospectionClientAuth,
  IntrospectionOptions,
  JwtOptions,
  ResourceServerConfig,
} from './model/config-types.js';
export type {
  AuthorizeDecision,
  AuthorizeFailure,
  AuthorizeOptions,
  AuthorizeResult,
  AuthorizeSuccess,
  ExpectedValues,
  MetadataResponse,
} from './model/authorize-types.js';
export * from './observe/index.js';
export type {
  AuthInfo,
  HeadersLike,
  RequestLike,
  TokenVerifier,
  VerifyContext,
} from './model/types.js';
export type { ProtectedResourceMetadata } from './metadata/build-metadata.js';
export { METADATA_WELL_KNOWN, metadataUrlFor } from './metadata/well-known.js';
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
} from './model/errors.js';
export * from './www-authenticate/index.js';
export * from './verify/token/index.js';
export * from './verify/cache/index.js';
export * from './state/index.js';
export { checkUrl, isLoopbackHost, isSecureUrl, sameUrl } from './util/url.js';
export type { UrlCheck, UrlProblem, UrlRefusal, UrlSafetyOptions } from './util/url.js';
export { isJsonMediaType } from './util/media-type.js';
export { isScopeToken } from './decide/scope.js';
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
export type { RequiredClaim, TokenProfile } from './verify/token/claim-profile.js';
export * from './verify/dpop/index.js';
