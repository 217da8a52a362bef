import { describe, expect, it } from 'vitest';
import {
  MAX_CHALLENGES,
  MAX_PARAMS_PER_CHALLENGE,
  MAX_WWW_AUTHENTICATE_LENGTH,
  parseWwwAuthenticate,
} from '../../src/www-authenticate/parse.js';

// Each case is bounded by the test timeout; a quadratic parser would blow it.
describe('parseWwwAuthenticate: hostile inputs', () => {
  it('64 KiB of "a=" completes and yields nothing', () => {
    const s = 'a='.repeat(MAX_WWW_AUTHENTICATE_LENGTH / 2);
    expect(s.length).toBe(MAX_WWW_AUTHENTICATE_LENGTH);
    expect(parseWwwAuthenticate(s)).toStrictEqual([]);
  });

  it('64 KiB of "Bearer a=" pairs keeps params only from the first well-formed element', () => {
    const s = ('Bearer a=' + 'x, ').repeat(5000);
    const out = parseWwwAuthenticate(s);
    expect(out).toHaveLength(MAX_CHALLENGES);
    expect(out[0]).toStrictEqual({ scheme: 'Bearer', params: { a: 'x' } });
  });

  it('1,000 params are kept; extras are ignored', () => {
    const n = MAX_PARAMS_PER_CHALLENGE + 500;
    const s =
      'Bearer ' +
      Array.from({ length: n }, (_, i) => `p${i}="v${i}"`).join(', ') +
      ', Basic realm="b"';
    const out = parseWwwAuthenticate(s);
    expect(out).toHaveLength(2);
    const params = out[0]?.params ?? {};
    expect(Object.keys(params)).toHaveLength(MAX_PARAMS_PER_CHALLENGE);
    expect(params.p0).toBe('v0');
    expect(params.p999).toBe('v999');
    expect(params.p1000).toBeUndefined();
    expect(out[1]).toStrictEqual({ scheme: 'Basic', params: { realm: 'b' } });
  });

  it('64 KiB unclosed quote completes and keeps the scheme only', () => {
    const head = 'Bearer realm="';
    const s = head + 'a, \\"'.repeat((MAX_WWW_AUTHENTICATE_LENGTH - head.length) / 5 - 1);
    expect(s.length).toBeLessThanOrEqual(MAX_WWW_AUTHENTICATE_LENGTH);
    expect(parseWwwAuthenticate(s)).toStrictEqual([{ scheme: 'Bearer', params: {} }]);
  });

  it('10,000 commas, alone and between challenges', () => {
    expect(parseWwwAuthenticate(','.repeat(10_000))).toStrictEqual([]);
    expect(parseWwwAuthenticate('Bearer' + ', '.repeat(10_000) + 'Basic realm="x"')).toStrictEqual([
      { scheme: 'Bearer', params: {} },
      { scheme: 'Basic', params: { realm: 'x' } },
    ]);
  });

  it('keeps at most 100 challenges', () => {
    const s = Array.from({ length: 1000 }, (_, i) => `S${i} n="${i}"`).join(', ');
    const out = parseWwwAuthenticate(s);
    expect(out).toHaveLength(MAX_CHALLENGES);
    expect(out[99]).toStrictEqual({ scheme: 'S99', params: { n: '99' } });
  });

  it('rejects (not truncates) input over 64 KiB, counting the joins between lines', () => {
    const atCap = `Bearer resource_metadata="${'a'.repeat(MAX_WWW_AUTHENTICATE_LENGTH - 27)}"`;
    expect(atCap.length).toBe(MAX_WWW_AUTHENTICATE_LENGTH);
    expect(parseWwwAuthenticate(atCap)).toHaveLength(1);
    expect(parseWwwAuthenticate(atCap + ' ')).toStrictEqual([]);
    // Two lines whose joined form (with ", ") is one char over the cap.
    const half = MAX_WWW_AUTHENTICATE_LENGTH / 2;
    expect(parseWwwAuthenticate(['Basic', 'x'.repeat(half)])).toHaveLength(2);
    expect(parseWwwAuthenticate(['a'.repeat(half), 'b'.repeat(half - 1)])).toStrictEqual([]);
    // Many empty lines count too, so the array length is bounded as well.
    expect(parseWwwAuthenticate(Array.from({ length: 40_000 }, () => ''))).toStrictEqual([]);
  });

  it('long runs of escapes, spaces and token68 padding', () => {
    expect(parseWwwAuthenticate(`X v="${'\\\\'.repeat(20_000)}"`)[0]?.params.v).toBe(
      '\\'.repeat(20_000),
    );
    expect(parseWwwAuthenticate(`X ${' '.repeat(30_000)}a=b`)).toStrictEqual([
      { scheme: 'X', params: { a: 'b' } },
    ]);
    expect(parseWwwAuthenticate(`X a${'='.repeat(60_000)}`)[0]?.token68).toHaveLength(60_001);
    expect(parseWwwAuthenticate('X ' + 'a '.repeat(30_000))).toStrictEqual([
      { scheme: 'X', params: {} },
    ]);
  });
});
