// @prmkit/hono under the `node` export condition (@hono/node-server): the same middleware,
// verifying JWT signatures with node:crypto. Workers, browsers and other hosts load index.js.
import { toResourceServers } from '@prmkit/core/node';
import type { Context } from 'hono';
import { prmkit as web } from './hono-adapter.js';

export type * from './index.js';
type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
const socketAddress = (c: Context) => (c.env as NodeBindings)?.incoming?.socket?.remoteAddress;
/** `prmkit` with node:crypto signatures; `clientAddress` defaults to the socket's peer. @example `prmkit(config)` @see RFC 9068 §4 */
export const prmkit: typeof web = ((
  input: Parameters<typeof toResourceServers>[0],
  options?: Parameters<typeof web>[1],
) =>
  web(toResourceServers(input) as never, {
    clientAddress: socketAddress,
    ...options,
  })) as typeof web;
