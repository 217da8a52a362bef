import { describe, expect, it } from 'vitest';
import {
  HeaderValueError,
  PRMKIT_ERROR_CODES,
  PrmkitConfigError,
  PrmkitError,
  TokenError,
  UpstreamError,
} from '../src/index.js';
import { TOKEN_ERROR_CODES, UPSTREAM_ERROR_CODES } from '../src/model/errors.js';

describe('error codes', () => {
  it('each class takes only its own codes (checked by the typecheck of this file)', () => {
    // @ts-expect-error a token code is not an upstream code
    expect(new UpstreamError('token_expired', 'x').code).toBe('token_expired');
    // @ts-expect-error an upstream code is not a token code
    expect(new TokenError('jwks_unavailable', 'x').code).toBe('jwks_unavailable');
    // @ts-expect-error not a code at all
    expect(new PrmkitError('no_such_code', 'x').code).toBe('no_such_code');
    const upstream = new UpstreamError('jwks_unavailable', 'down');
    expect(upstream).toBeInstanceOf(PrmkitError);
    expect(new HeaderValueError('bad').code).toBe('header_value_invalid');
    expect(new PrmkitConfigError([]).code).toBe('config_invalid');
  });

  it('lists every code once, the class lists inside the whole', () => {
    expect(new Set(PRMKIT_ERROR_CODES).size).toBe(PRMKIT_ERROR_CODES.length);
    for (const code of [...TOKEN_ERROR_CODES, ...UPSTREAM_ERROR_CODES]) {
      expect(PRMKIT_ERROR_CODES).toContain(code);
    }
  });

  it('a TokenError (a verdict about input) carries no stack frames; other errors keep theirs', () => {
    const before = Error.stackTraceLimit;
    const refusal = new TokenError('key_not_found', 'no key', { cause: new Error('inner') });
    expect(refusal.stack?.split('\n').filter((line) => line.trim().startsWith('at '))).toEqual([]);
    expect(refusal.message).toBe('no key');
    expect((refusal.cause as Error).message).toBe('inner');
    expect(Error.stackTraceLimit).toBe(before); // restored
    const outage = new UpstreamError('jwks_unavailable', 'down');
    expect(outage.stack).toMatch(/\n\s+at /);
  });
});
