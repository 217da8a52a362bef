import { describe, expect, it } from 'vitest';
import { TokenError } from '../src/model/errors.js';
import { refuse } from '../src/decide/refusal.js';

const ctx = { metadataUrl: 'https://api.example.com/.well-known/oauth-protected-resource/mcp' };

describe('refuse: equal refusals share one formatted answer', () => {
  it('reuses frozen headers and body for the same refusal, with each call its own error', () => {
    const e1 = new TokenError('key_not_found', 'no key of the authorization server matches');
    const e2 = new TokenError('key_not_found', 'no key of the authorization server matches');
    const a = refuse(ctx, e1, ['mcp:tools']);
    const b = refuse(ctx, e2, ['mcp:tools']);
    expect(b.headers).toBe(a.headers);
    expect(Object.isFrozen(a.headers)).toBe(true);
    expect(a.error).toBe(e1);
    expect(b.error).toBe(e2);
    expect(a.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('any difference (status, code, scopes, scheme, message, context) gives its own answer', () => {
    const e = new TokenError('key_not_found', 'no key');
    const base = refuse(ctx, e, ['mcp:tools']);
    const variants = [
      refuse(ctx, new TokenError('multiple_token_methods', 'no key'), ['mcp:tools']),
      refuse(ctx, e, ['mcp:tools', 'mcp:admin']),
      refuse(ctx, new TokenError('key_not_found', 'other'), ['mcp:tools']),
      refuse({ metadataUrl: 'https://other.example/.well-known/x' }, e, ['mcp:tools']),
    ];
    for (const v of variants)
      expect(v.headers['www-authenticate']).not.toBe(base.headers['www-authenticate']);
    expect(variants[1]!.headers['www-authenticate']).toContain('scope="mcp:tools mcp:admin"');
  });

  it('an answer with a DPoP nonce is never shared (each nonce is new)', () => {
    const e = new TokenError('key_not_found', 'no key');
    const on = { scheme: 'Bearer' as const, nonce: 'n1' };
    const a = refuse(ctx, e, [], on);
    const b = refuse(ctx, e, [], { ...on, nonce: 'n2' });
    expect([a.headers['dpop-nonce'], b.headers['dpop-nonce']]).toEqual(['n1', 'n2']);
  });
});
