export * from './glewlwyd/index.js';
export { freePort } from './free-port.js';
