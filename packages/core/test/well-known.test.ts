import { describe, expect, it } from 'vitest';
import { metadataUrlFor } from '../src/metadata/well-known.js';

describe('metadataUrlFor (RFC 9728 §3.1)', () => {
  it.each([
    [
      'https://api.example.com/mcp',
      'https://api.example.com/.well-known/oauth-protected-resource/mcp',
    ],
    ['https://api.example.com', 'https://api.example.com/.well-known/oauth-protected-resource'],
    ['https://api.example.com/', 'https://api.example.com/.well-known/oauth-protected-resource'],
    [
      'https://api.example.com/a/b/mcp',
      'https://api.example.com/.well-known/oauth-protected-resource/a/b/mcp',
    ],
    [
      'https://api.example.com/mcp/',
      'https://api.example.com/.well-known/oauth-protected-resource/mcp/',
    ],
    [
      'https://api.example.com/mcp?tenant=a',
      'https://api.example.com/.well-known/oauth-protected-resource/mcp?tenant=a',
    ],
    [
      'https://api.example.com/?tenant=a',
      'https://api.example.com/.well-known/oauth-protected-resource?tenant=a',
    ],
    [
      'https://api.example.com:8443/mcp',
      'https://api.example.com:8443/.well-known/oauth-protected-resource/mcp',
    ],
    ['http://127.0.0.1:3000/mcp', 'http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp'],
  ])('%s → %s', (resource, expected) => {
    expect(metadataUrlFor(resource)).toBe(expected);
  });

  it('refuses a non-URL with a coded error', () => {
    expect(() => metadataUrlFor('not a url')).toThrowError(
      expect.objectContaining({ code: 'config_invalid' }),
    );
  });
});
