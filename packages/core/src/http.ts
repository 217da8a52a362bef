// @prmkit/core/http — the HTTP rules the client and the CLI share with the server: URL
// safety (https except loopback, no private addresses unless allowed) and JSON media types.
// Web APIs only.
export {
  checkUrl,
  isLoopbackHost,
  isSecureUrl,
  sameUrl,
  type UrlCheck,
  type UrlProblem,
  type UrlRefusal,
  type UrlSafetyOptions,
} from './util/url.js';
export { isJsonMediaType } from './util/media-type.js';
