// @prmkit/core — the framework-agnostic engine. Web APIs only.
export {
  createResourceServer,
  isResourceServer,
  type ResourceServer,
  type ResourceServerInput,
  toResourceServer,
} from './resource-server.js';
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
  MetadataResponse,
} from './authorize-types.js';
export type { AuthInfo, HeadersLike, RequestLike, TokenVerifier, VerifyContext } from './types.js';
export type { ProtectedResourceMetadata } from './metadata.js';
export { METADATA_WELL_KNOWN, metadataUrlFor } from './well-known.js';
export {
  type ConfigIssue,
  HeaderValueError,
  PrmkitConfigError,
  PrmkitError,
  type PrmkitErrorCode,
  TokenError,
  UpstreamError,
} from './errors.js';
export * from './www-authenticate/index.js';
export * from './token/index.js';
export * from './cache/index.js';
export * from './store/index.js';
export { isLoopbackHost, isSecureUrl } from './url.js';
export { nodeRequestHeaders } from './headers.js';
export { readBodyCapped } from './body.js';
export { carriesJsonRpcBody, isJsonMediaType } from './media-type.js';
export { isScopeToken } from './scope.js';
