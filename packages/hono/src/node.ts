// @prmkit/hono under the `node` export condition (@hono/node-server): the same middleware,
// verifying JWT signatures with node:crypto. Workers, browsers and other hosts load index.js.
import { toResourceServer } from '@prmkit/core/node';
import { prmkit as web } from './hono-adapter.js';

export type * from './index.js';
/** `prmkit` of `@prmkit/hono`, with node:crypto signatures. @example `prmkit(config)` @see RFC 9068 §4 */
export const prmkit: typeof web = (input, options) => web(toResourceServer(input), options);
