// @prmkit/gateway — downstream tokens for a gateway in front of MCP servers: RFC 8693 token
// exchange (or Entra on-behalf-of), cached per caller and target, and a guard that never
// lets the inbound token leave. Web APIs only.
export { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
export {
  createTokenExchanger,
  type DownstreamToken,
  type ExchangeEvent,
  type TokenExchanger,
  type TokenExchangerOptions,
} from './token-exchanger.js';
export type { DownstreamTarget } from './target.js';
export type { GatewayClientAuth } from './client-auth.js';
export {
  ACCESS_TOKEN_TYPE,
  EXCHANGE_PROFILES,
  type ExchangeProfile,
  JWT_BEARER_GRANT,
  TOKEN_EXCHANGE_GRANT,
} from './profiles.js';
export { checkDownstreamToken } from './passthrough-guard.js';
export { gatewayRefusal, type GatewayRefusal, type RefusalContext } from './refusal.js';
export { rewriteDownstreamAnswer } from './downstream-answer.js';
export { GATEWAY_ERROR_CODES, GatewayError, type GatewayErrorCode } from './errors.js';
