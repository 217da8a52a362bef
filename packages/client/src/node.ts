export { startLoopbackRedirect, loopbackAuthorization } from './node/loopback-redirect.js';
export type { LoopbackRedirect, LoopbackRedirectOptions } from './node/loopback-redirect.js';
export { FileCredentialStore } from './node/file-store.js';
export { createMtlsFetch } from './node/mtls-fetch.js';
export type { MtlsFetch, MtlsFetchOptions } from './node/mtls-fetch.js';
