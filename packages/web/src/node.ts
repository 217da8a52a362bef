// @prmkit/web under the `node` export condition (a Next.js server, any Node host): the same
// handlers, verifying JWT signatures with node:crypto. Bun, Deno, Workers, the Edge runtime
// and browsers load index.js (Web Crypto). Both make the same decisions.
import { createResourceServer as nodeResourceServer, toResourceServer } from '@prmkit/core/node';
import type { ResourceServerInput } from '@prmkit/core';
import * as web from './with-prmkit.js';

export type * from './index.js';
export { metadataRoute } from './metadata-route.js'; // serves a document: no signature to check

/** `createResourceServer` with node:crypto signatures. @example `const rs = createResourceServer(config)` @see RFC 9068 §4 */
export const createResourceServer = nodeResourceServer;

/** `withPrmkit` with node:crypto signatures. @example `withPrmkit(handler, config)` @see RFC 9068 §4 */
export function withPrmkit<Rest extends unknown[] = []>(
  handler: web.ProtectedHandler<Rest>,
  input: ResourceServerInput,
  options?: web.WithPrmkitOptions<Rest>,
): web.FetchHandler<Rest> {
  return web.withPrmkit(handler, toResourceServer(input), options);
}
