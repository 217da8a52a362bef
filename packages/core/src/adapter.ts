// @prmkit/core/adapter — what adapter (and sibling package) authors need; not for apps.
// Web APIs only, like the main entry. See the core README, "Writing an adapter".
export { toResourceServer } from './server/resource-server.js';
export { toResourceServers, toResourceServerSet } from './server/resource-server-set.js';
export { withDefaultLogger } from './server/default-logger.js';
export { cloudflarePeerCertificate, nodePeerCertificate } from './http/peer-certificate.js';
export { guardRequest, type GuardBody, type GuardRequest, type GuardResult } from './http/guard.js';
export {
  routeRequirement,
  type RequireAuthOptions,
  type RouteRequirement,
} from './http/route-requirement.js';
export {
  type BodySource,
  type BoundedRead,
  drainBody,
  readBodyCapped,
  readBounded,
  replayBody,
  unreadNodeStream,
} from './http/body.js';
export { decodeJsonBody, type JsonBody } from './http/json-body.js';
export {
  type HttpAnswer,
  type NodeResponseLike,
  type ReplyLike,
  sendReply,
  toResponse,
  writeNodeResponse,
} from './http/answer.js';
export { nodeMessageHeaders, nodeRequestHeaders, requestPath } from './util/headers.js';
export { carriesJsonRpcBody } from './util/media-type.js';
export { hashToken } from './util/token-hash.js';
export {
  MAX_CHALLENGES,
  MAX_PARAMS_PER_CHALLENGE,
  MAX_WWW_AUTHENTICATE_LENGTH,
} from './www-authenticate/parse.js';
export { isResourceServer } from './server/resource-server.js';
export {
  type AnyResourceServerInput,
  isResourceServerSet,
  type ResourceServerSetInput,
} from './server/resource-server-set.js';
export type { ClientCertificate, PeerCertificateSource } from './model/client-certificate.js';
export {
  decodeMcpHeaderValue,
  MCP_HEADER_MISMATCH,
  mcpHeaderMismatch,
  readMcpHeaders,
  type McpHeaders,
} from './decide/mcp-headers.js';
export type { HeaderDecision } from './model/authorize-types.js';
export { outcomeOf } from './model/reasons.js';
