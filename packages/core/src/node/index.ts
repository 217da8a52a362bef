// @prmkit/core/node — the Node-only entry: node:crypto signature checks. Everything else
// is in the main entry, `@prmkit/core`, which stays Web-only.
export { nodeCryptoBackend, nodeCryptoThreadPoolBackend } from './node-crypto-backend.js';
export {
  createResourceServer,
  createResourceServerSet,
  toResourceServer,
  toResourceServers,
  withNodeCrypto,
} from './resource-server.js';
