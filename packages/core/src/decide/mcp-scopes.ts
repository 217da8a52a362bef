import { unionScopes } from './scope.js';

/** How a request's JSON-RPC content adds to the scopes it needs. */
export interface MessageScopeRules {
  readonly toolScopes: ReadonlyMap<string, readonly string[]>;
  /** Union of every tool's scopes: what an uninspectable request must have. */
  readonly allToolScopes: readonly string[];
  readonly scopesForMessage: ((message: unknown) => readonly string[] | undefined) | undefined;
}

/** A parsed JSON object: plain, so raw bytes (Buffer, Uint8Array) and streams never count. */
function isObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Scopes a request needs because of what it asks the MCP server to do. Only POST carries
 * JSON-RPC messages. A body that is not parsed JSON (missing, malformed, a string, an
 * unexpected content type), a message that is not JSON-RPC 2.0 (`jsonrpc: "2.0"`), a
 * `tools/call` without a string tool name, or a batch element that is not an object cannot
 * be inspected, so it needs every tool scope: no shape of request can bypass a tool's scopes.
 *
 * @see MCP 2025-11-25 Authorization, "Scope Challenge Handling"; RFC 6750 §3.1
 */
export function scopesForRequest(
  method: string,
  body: unknown,
  rules: MessageScopeRules,
): string[] {
  if (rules.toolScopes.size === 0 && !rules.scopesForMessage) return [];
  if (method.toUpperCase() !== 'POST') return [];
  const messages = Array.isArray(body) ? body : [body];
  if (!Array.isArray(body) && !isObject(body)) return [...rules.allToolScopes];
  const needed: (readonly string[] | undefined)[] = [];
  for (const message of messages) {
    // Only a JSON-RPC 2.0 message can be read; anything else (`{}` from a body parser that
    // skipped the request, a foreign shape) might still reach a tool, so it needs them all.
    if (!isObject(message) || message.jsonrpc !== '2.0') return [...rules.allToolScopes];
    if (message.method === 'tools/call') {
      const params = message.params;
      const name = isObject(params) ? params.name : undefined;
      if (typeof name !== 'string') return [...rules.allToolScopes];
      needed.push(rules.toolScopes.get(name));
    }
    if (rules.scopesForMessage) needed.push(rules.scopesForMessage(message));
  }
  return unionScopes(...needed);
}
