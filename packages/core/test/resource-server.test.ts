import { describe, expect, it } from 'vitest';
import { toResourceServer } from '../src/adapter.js';
import { createResourceServer } from '../src/index.js';
import { isResourceServer } from '../src/adapter.js';
import { toErrorDescription } from '../src/decide/refusal.js';

const config = {
  resource: 'https://api.example.com/mcp',
  authorizationServers: ['https://auth.example.com'],
};

describe('toResourceServer / isResourceServer', () => {
  it('passes a resource server through and builds one from a config', () => {
    const rs = createResourceServer(config);
    expect(isResourceServer(rs)).toBe(true);
    expect(toResourceServer(rs)).toBe(rs);
    const built = toResourceServer(config);
    expect(isResourceServer(built)).toBe(true);
    expect(built).not.toBe(rs);
  });

  it('does not mistake a look-alike object for a resource server', () => {
    const fake = { authorize: () => ({ ok: true }), handleMetadataRequest: () => ({}) };
    expect(isResourceServer(fake)).toBe(false);
    expect(() => toResourceServer(fake as never)).toThrowError(
      expect.objectContaining({ code: 'config_invalid' }),
    );
  });
});

describe('toErrorDescription (RFC 6750 §3 charset)', () => {
  it('keeps descriptions inside %x20-21 / %x23-5B / %x5D-7E', () => {
    const out = toErrorDescription('typ "JWT" \\ not allowed (RFC 9068 §2.1)\r\n\u00e9');
    expect(out).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]*$/);
    expect(out).toContain('RFC 9068 section 2.1');
  });
});
