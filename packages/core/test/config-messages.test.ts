import { describe, expect, it } from 'vitest';
import { createResourceServer, PrmkitConfigError } from '../src/index.js';
import type { ResourceServerConfig } from '../src/index.js';
import { closestKey } from '../src/server/config-messages.js';

// Issue #13 point 9: configuration errors in prmkit's words, with the fix.
const good = {
  resource: 'https://api.example.com/mcp',
  authorizationServers: ['https://auth.example.com'],
};

const issuesOf = (config: unknown): { path: string; message: string }[] => {
  try {
    createResourceServer(config as ResourceServerConfig);
  } catch (error) {
    expect(error).toBeInstanceOf(PrmkitConfigError);
    return [...(error as PrmkitConfigError).issues];
  }
  throw new Error('expected a PrmkitConfigError');
};

describe('configuration messages', () => {
  it('a missing authorizationServers says what to set', () => {
    expect(issuesOf({ resource: good.resource })).toEqual([
      {
        path: 'authorizationServers',
        message: expect.stringMatching(
          /^is required: set it to the issuer URL\(s\).*auth\.example\.com/,
        ),
      },
    ]);
  });

  it('a missing resource says what to set', () => {
    const [issue] = issuesOf({ authorizationServers: good.authorizationServers });
    expect(issue?.path).toBe('resource');
    expect(issue?.message).toMatch(/^is required: set it to the exact URL clients use/);
  });

  it('a near-miss key gets "did you mean", at the root and nested', () => {
    expect(issuesOf({ ...good, requiredScope: ['mcp:tools'] })).toEqual([
      { path: 'requiredScope', message: 'unknown option; did you mean "requiredScopes"?' },
    ]);
    expect(issuesOf({ ...good, jwt: { algorithm: ['RS256'] } })).toEqual([
      { path: 'jwt.algorithm', message: 'unknown option; did you mean "algorithms"?' },
    ]);
    expect(issuesOf({ ...good, AllowHTTP: 'loopback' })[0]?.message).toBe(
      'unknown option; did you mean "allowHttp"?',
    );
  });

  it('an unrelated unknown key gets no guess', () => {
    expect(issuesOf({ ...good, colour: 'blue' })).toEqual([
      { path: 'colour', message: 'unknown option' },
    ]);
  });

  it('a wrong type names what was given, never zod wording', () => {
    const issues = issuesOf({ ...good, authorizationServers: 'https://auth.example.com' });
    expect(issues).toEqual([
      { path: 'authorizationServers', message: 'must be an array, not a string' },
    ]);
    const all = issuesOf({ requiredScope: 1, authorizationServers: null });
    for (const { message } of all) expect(message).not.toMatch(/Invalid input|Unrecognized key/);
    expect(all.map((i) => i.path).sort()).toEqual([
      'authorizationServers',
      'requiredScope',
      'resource',
    ]);
  });

  it('a value outside a fixed set lists the allowed values', () => {
    expect(issuesOf({ ...good, allowHttp: true })).toEqual([
      { path: 'allowHttp', message: 'must be "loopback"' },
    ]);
    expect(issuesOf({ ...good, bearerMethodsSupported: ['cookie'] })).toEqual([
      { path: 'bearerMethodsSupported.0', message: 'must be one of "header", "body", "query"' },
    ]);
    expect(issuesOf({ ...good, jwksUri: 42 })).toEqual([
      { path: 'jwksUri', message: 'must be a string, not a number' },
    ]);
  });

  it('closestKey: case, prefix and small edits match; far names do not', () => {
    const known = ['requiredScopes', 'scopesSupported', 'toolScopes', 'allowHttp'];
    expect(closestKey('requiredscopes', known)).toBe('requiredScopes');
    expect(closestKey('toolScope', known)).toBe('toolScopes');
    expect(closestKey('scopeSupported', known)).toBe('scopesSupported');
    expect(closestKey('allowHtp', known)).toBe('allowHttp');
    expect(closestKey('database', known)).toBeUndefined();
  });
});
