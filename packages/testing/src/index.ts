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
