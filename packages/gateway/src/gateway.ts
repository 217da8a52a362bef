import type { AuthInfo } from '@prmkit/core';
import { GatewayError } from './errors.js';
import { guardedRequest } from './passthrough-guard.js';
import type { DownstreamTarget } from './target.js';
import type { DownstreamToken, TokenExchanger } from './token-exchanger.js';

/**
 * Options of {@link createGateway}.
 *
 * @example
 * ```ts
 * const options: GatewayOptions = { exchanger, targets: [files, search] };
 * ```
 */
export interface GatewayOptions {
  /** Obtains downstream tokens (see `createTokenExchanger`). */
  readonly exchanger: TokenExchanger;
  /** The downstreams; names are unique. */
  readonly targets: readonly DownstreamTarget[];
  /** The `fetch` that reaches the downstreams. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

/**
 * The downstream side of a gateway: every call leaves with a token exchanged for its
 * target, never the inbound one.
 *
 * @example
 * ```ts
 * const call = gateway.fetchFor(auth, 'files');
 * const res = await call('http://127.0.0.1:4001/mcp', { method: 'POST', body });
 * ```
 */
export interface Gateway {
  readonly targets: ReadonlyMap<string, DownstreamTarget>;
  /** The target named `name`, or throws `target_unknown`. */
  target(name: string): DownstreamTarget;
  /** A downstream token for `name` (cached, see the exchanger). */
  tokenFor(auth: AuthInfo, name: string): Promise<DownstreamToken>;
  /**
   * A `fetch` for handlers and proxies that reaches only target `name`: it strips the
   * caller's `Authorization` (and `Proxy-Authorization`, `DPoP`, `Cookie`), refuses a request that
   * still carries the inbound token anywhere in its URL or headers, refuses URLs outside
   * the target's `upstream`, attaches the exchanged token after checking its audience, and
   * does not follow redirects. Rejects with {@link GatewayError}.
   */
  fetchFor(auth: AuthInfo, name: string): typeof fetch;
}

/**
 * Creates the downstream side of a gateway from an exchanger and its targets.
 *
 * @example
 * ```ts
 * import { createGateway, createTokenExchanger } from '@prmkit/gateway';
 *
 * const gateway = createGateway({
 *   exchanger: createTokenExchanger({ issuer, client }),
 *   targets: [{ name: 'files', upstream: 'https://files.internal/mcp', resource: 'https://files.example.com/mcp', scopes: ['mcp:tools'] }],
 * });
 * const res = await gateway.fetchFor(auth, 'files')('https://files.internal/mcp', { method: 'POST', body });
 * ```
 * @see MCP 2026-07-28 basic/authorization security considerations (no token passthrough),
 *   RFC 8693 §2
 */
export function createGateway(options: GatewayOptions): Gateway {
  const targets = new Map<string, DownstreamTarget>();
  for (const target of options.targets) {
    if (targets.has(target.name))
      throw new GatewayError(
        'config_invalid',
        `two targets are named ${JSON.stringify(target.name)}`,
      );
    if (target.resource === undefined && target.audience === undefined)
      throw new GatewayError(
        'config_invalid',
        `target ${JSON.stringify(target.name)} needs a resource or an audience`,
      );
    targets.set(
      target.name,
      Object.freeze({ ...target, scopes: Object.freeze([...target.scopes]) }),
    );
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const target = (name: string): DownstreamTarget => {
    const found = targets.get(name);
    if (found === undefined)
      throw new GatewayError(
        'target_unknown',
        `no downstream target named ${JSON.stringify(name)}`,
      );
    return found;
  };
  return {
    targets,
    target,
    tokenFor: (auth, name) => options.exchanger.tokenFor(auth, target(name)),
    fetchFor(auth, name) {
      const downstream = target(name);
      return async (input, init) => {
        const request = new Request(input, init);
        const token = await options.exchanger.tokenFor(auth, downstream);
        return fetchImpl(guardedRequest(request, auth, downstream, token));
      };
    },
  };
}
