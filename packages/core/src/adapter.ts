// @prmkit/core/adapter — what adapter (and sibling package) authors need; not for apps.
// Web APIs only, like the main entry. See the core README, "Writing an adapter".
export { toResourceServer } from './resource-server.js';
export { withDefaultLogger } from './decision/default-logger.js';
export { guardRequest, type GuardBody, type GuardRequest, type GuardResult } from './guard.js';
export {
  routeRequirement,
  type RequireAuthOptions,
  type RouteRequirement,
} from './route-requirement.js';
export {
  type BodySource,
  type BoundedRead,
  drainBody,
  readBodyCapped,
  readBounded,
  replayBody,
  unreadNodeStream,
} from './body.js';
export { decodeJsonBody, type JsonBody } from './json-body.js';
export {
  type HttpAnswer,
  type NodeResponseLike,
  type ReplyLike,
  sendReply,
  toResponse,
  writeNodeResponse,
} from './answer.js';
export { nodeMessageHeaders, nodeRequestHeaders, requestPath } from './headers.js';
export { carriesJsonRpcBody } from './media-type.js';
export { hashToken } from './token/token-hash.js';
export {
  MAX_CHALLENGES,
  MAX_PARAMS_PER_CHALLENGE,
  MAX_WWW_AUTHENTICATE_LENGTH,
} from './www-authenticate/parse.js';
