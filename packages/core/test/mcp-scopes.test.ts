import { describe, expect, it } from 'vitest';
import { scopesForRequest } from '../src/decide/mcp-scopes.js';

const rules = {
  toolScopes: new Map([
    ['admin_stats', ['mcp:admin']],
    ['write', ['mcp:write']],
  ]),
  allToolScopes: ['mcp:admin', 'mcp:write'],
  scopesForMessage: undefined,
};
const call = (name: unknown) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } });

describe('scopesForRequest (per-tool scopes)', () => {
  it('adds the scopes of the called tool', () => {
    expect(scopesForRequest('POST', call('admin_stats'), rules)).toEqual(['mcp:admin']);
    expect(scopesForRequest('POST', call('echo'), rules)).toEqual([]);
    expect(
      scopesForRequest('POST', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, rules),
    ).toEqual([]);
  });

  it('unions scopes over a batch', () => {
    expect(
      scopesForRequest('POST', [call('echo'), call('write'), call('admin_stats')], rules),
    ).toEqual(['mcp:write', 'mcp:admin']);
  });

  it('fails closed when the body cannot be inspected', () => {
    for (const body of [undefined, null, '{"method":"tools/call"}', 42, new Uint8Array(3)]) {
      expect(scopesForRequest('POST', body, rules)).toEqual(['mcp:admin', 'mcp:write']);
    }
    expect(scopesForRequest('POST', [call('echo'), 'junk'], rules)).toEqual([
      'mcp:admin',
      'mcp:write',
    ]);
    expect(scopesForRequest('POST', call(undefined), rules)).toEqual(['mcp:admin', 'mcp:write']);
    expect(
      scopesForRequest('POST', { method: 'tools/call', params: 'admin_stats' }, rules),
    ).toEqual(['mcp:admin', 'mcp:write']);
    // `{}` (a body parser's placeholder) and non-JSON-RPC shapes are not readable messages.
    for (const body of [
      {},
      { method: 'tools/call', params: { name: 'echo' } },
      [{ jsonrpc: '1.0' }],
    ]) {
      expect(scopesForRequest('POST', body, rules)).toEqual(['mcp:admin', 'mcp:write']);
    }
  });

  it('does not resolve prototype names as tools', () => {
    expect(scopesForRequest('POST', call('__proto__'), rules)).toEqual([]);
    expect(scopesForRequest('POST', call('constructor'), rules)).toEqual([]);
  });

  it('needs nothing extra for non-POST requests or when no tool scopes are configured', () => {
    expect(scopesForRequest('GET', undefined, rules)).toEqual([]);
    expect(
      scopesForRequest('POST', undefined, {
        toolScopes: new Map(),
        allToolScopes: [],
        scopesForMessage: undefined,
      }),
    ).toEqual([]);
  });

  it('runs the general hook for every message', () => {
    const hook = (m: unknown) =>
      (m as { method?: string }).method === 'resources/read' ? ['files:read'] : undefined;
    const r = { ...rules, scopesForMessage: hook };
    expect(
      scopesForRequest(
        'POST',
        [{ jsonrpc: '2.0', id: 2, method: 'resources/read' }, call('write')],
        r,
      ),
    ).toEqual(['files:read', 'mcp:write']);
  });
});
