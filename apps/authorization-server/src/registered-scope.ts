import type { Configuration } from 'oidc-provider';

/**
 * Makes a client's registered `scope` (RFC 7591 §2) a statement of interest, not a
 * ceiling, for the resource scopes: whatever a registration names, the client's scope
 * becomes that list plus every resource scope this server grants. oidc-provider refuses
 * (`invalid_scope`) any listed scope missing from a client's `scope`, and MCP clients
 * register with the scope of the first challenge (the SDK: `mcp:tools offline_access`),
 * so without this a later step-up to `mcp:admin` could never succeed. A registration
 * without `scope` keeps none (no ceiling at all).
 *
 * @example
 * ```ts
 * const config = { extraClientMetadata: widenRegisteredScope(['mcp:tools', 'mcp:admin']) };
 * ```
 * @see RFC 7591 §2 (`scope`: the server may replace requested values), MCP authorization
 *   "Scope challenge handling" (step-up)
 */
export function widenRegisteredScope(
  resourceScopes: readonly string[],
): NonNullable<Configuration['extraClientMetadata']> {
  return {
    properties: ['scope'],
    validator: (_ctx, key, value, metadata) => {
      if (key !== 'scope' || typeof value !== 'string') return;
      const named = value.split(' ').filter((scope) => scope !== '');
      metadata['scope'] = [...new Set([...named, ...resourceScopes])].join(' ');
    },
  };
}
