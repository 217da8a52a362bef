// @prmkit/core — the framework-agnostic engine. Web APIs only.
// An explicit list of what an application needs. Other entries:
// - `@prmkit/core/verify`: token verifiers and their building blocks (JWT, introspection,
//   cache, DPoP proofs, mTLS certificate decoding and the cnf rule), for custom setups;
// - `@prmkit/core/store`: the shared-state interface and its implementations;
// - `@prmkit/core/http`: the URL and media-type rules the client and the CLI share;
// - `@prmkit/core/adapter`: what adapter and sibling-package authors need (the guard, the
//   answer writers, resource-server sets, peer certificates, MCP request headers, telemetry
//   outcomes); `@prmkit/core/node`: node:crypto.
// Option types not listed here are reachable through `ResourceServerConfig` (for example
// `ResourceServerConfig['actor']`, `NonNullable<AuthInfo['actor']>`).

// The resource server and its configuration
export {
  createResourceServer,
  type ResourceServer,
  type ResourceServerInput,
} from './server/resource-server.js';
export { createResourceServerSet, type ResourceServerSet } from './server/resource-server-set.js';
export type {
  IntrospectionOptions,
  JwtOptions,
  ResourceServerConfig,
} from './server/config-types.js';
export type { SignedMetadataOptions } from './model/signed-metadata-types.js';
export type { DpopOptions } from './verify/dpop/dpop-options.js';
export type { MtlsOptions } from './verify/mtls/mtls-options.js';
export type { RequireAuthOptions } from './http/route-requirement.js';
export { profiles } from './profiles/index.js';

// The decision
export type {
  AuthorizeDecision,
  AuthorizeFailure,
  AuthorizeOptions,
  AuthorizeResult,
  AuthorizeSuccess,
  MetadataResponse,
} from './model/authorize-types.js';
export type {
  AuthInfo,
  BearerMethod,
  HeadersLike,
  RequestLike,
  TokenVerifier,
  VerifyContext,
} from './model/types.js';
export type { PrmkitLogger } from './model/logger.js';
export {
  DECISION_REASONS,
  type DecisionReason,
  MISCONFIGURATION_REASONS,
} from './model/reasons.js';

// Metadata (RFC 9728) and challenges (RFC 6750, RFC 9110 §11.6.1)
export type { ProtectedResourceMetadata } from './model/metadata.js';
export { metadataUrlFor } from './metadata/well-known.js';
export {
  type Challenge,
  findChallenge,
  formatWwwAuthenticate,
  parseWwwAuthenticate,
} from './www-authenticate/index.js';

// Errors and the one code table
export { CODE_TABLE } from './model/codes.js';
export {
  type ConfigIssue,
  HeaderValueError,
  PRMKIT_ERROR_CODES,
  PrmkitConfigError,
  PrmkitError,
  type PrmkitErrorCode,
  TokenError,
  UpstreamError,
} from './model/errors.js';
