export { startLoopbackRedirect, loopbackAuthorization } from './node/loopback-redirect.js';
export type { LoopbackRedirect, LoopbackRedirectOptions } from './node/loopback-redirect.js';
export { FileCredentialStore } from './node/file-store.js';
