export { createTestIssuer } from './issuer.js';
export type {
  JwksMode,
  MetadataKind,
  MintOptions,
  RecordedRequest,
  TestIssuer,
  TestIssuerOptions,
} from './issuer.js';
export { freePort, listen, readBody } from './listen.js';
export type { Listening } from './listen.js';
export { BrowserStandInError, followAuthorizationRedirects, rememberCookie } from './browser.js';
export type { BrowserStandInErrorCode } from './browser.js';
export { locateService } from './services/locate.js';
export { startProcess, waitForPort } from './services/process.js';
export type { ServiceProcess } from './services/process.js';
export { redisServerPath, startRedisServer } from './services/redis-server.js';
export type { RunningRedis } from './services/redis-server.js';
export { nginxPath, startNginx } from './services/nginx.js';
export type { NginxOptions, NginxRoute, RunningNginx } from './services/nginx.js';
export {
  createIdpKeysStandIn,
  createOpaqueTokenStandIn,
  startGithubUserApi,
  startGoogleTokenInfo,
} from './idp-stand-in.js';
export type {
  IdpKeysStandIn,
  OpaqueAnswer,
  OpaqueLookup,
  OpaqueTokenStandIn,
} from './idp-stand-in.js';
export { accessTokenHash, createDpopTestKey } from './dpop.js';
export type { DpopProofOptions, DpopTestKey } from './dpop.js';
export { startOAuthServerStandIn } from './oauth-server-stand-in.js';
export type {
  OAuthServerStandIn,
  OAuthServerStandInOptions,
  StandInClient,
} from './oauth-server-stand-in.js';
export { startProtectedResourceStandIn } from './protected-resource-stand-in.js';
export type {
  ProtectedResourceStandIn,
  ProtectedResourceStandInOptions,
} from './protected-resource-stand-in.js';
export { createTestCertificate, opensslPath } from './certificates.js';
export type { TestCertificate } from './certificates.js';
export { startTokenEndpointStandIn } from './token-endpoint-stand-in.js';
export type {
  TokenEndpointAnswer,
  TokenEndpointStandIn,
  TokenEndpointStandInOptions,
  TokenRequestRecord,
} from './token-endpoint-stand-in.js';
