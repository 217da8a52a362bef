import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatWwwAuthenticate, parseWwwAuthenticate } from '../../src/www-authenticate/index.js';
import { MAX_CHALLENGES, MAX_PARAMS_PER_CHALLENGE } from '../../src/www-authenticate/parse.js';
import type { Challenge } from '../../src/www-authenticate/index.js';

const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
const lowerToken = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9a-z]{1,12}$/);
const nqsValue = fc.stringMatching(/^[\x20\x21\x23-\x5b\x5d-\x7e]{1,30}$/);
const nqValue = fc.stringMatching(/^[\x21\x23-\x5b\x5d-\x7e]{1,30}$/);
const scopeValue = fc
  .array(fc.stringMatching(/^[\x21\x23-\x5b\x5d-\x7e]{1,10}$/), { minLength: 1, maxLength: 4 })
  .map((t) => t.join(' '));
// Printable ASCII, with the characters that need escaping or look like syntax made common.
const genericValue = fc
  .array(
    fc.oneof(fc.constantFrom('"', '\\', ',', '=', ' ', '\\"'), fc.stringMatching(/^[\x20-\x7e]$/)),
    {
      maxLength: 20,
    },
  )
  .map((parts) => parts.join(''));
const token68 = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,20}={0,3}$/);

function valueFor(name: string): fc.Arbitrary<string> {
  switch (name) {
    case 'error':
    case 'error_description':
      return nqsValue;
    case 'realm':
      return fc.oneof(fc.constant(''), nqsValue);
    case 'error_uri':
      return nqValue;
    case 'scope':
      return scopeValue;
    default:
      return genericValue;
  }
}

const paramName = fc.oneof(
  fc.constantFrom(
    'realm',
    'error',
    'error_description',
    'error_uri',
    'scope',
    'resource_metadata',
    'algs',
    '__proto__',
    'constructor',
    'hasownproperty',
  ),
  lowerToken,
);
const params = fc
  .uniqueArray(paramName, { maxLength: 6 })
  .chain((names) =>
    fc
      .tuple(...names.map(valueFor))
      .map((values) => Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']))),
  );
// Plain objects (fc.record may build null-prototype ones), so toStrictEqual compares content.
const challenge: fc.Arbitrary<Challenge> = fc.oneof(
  fc.tuple(token, params).map(([scheme, p]): Challenge => ({ scheme, params: p })),
  fc.tuple(token, token68).map(([scheme, t]): Challenge => ({ scheme, params: {}, token68: t })),
);

describe('WWW-Authenticate properties', () => {
  it('parse(format(c)) deep-equals c for valid challenges', () => {
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 5 }), (cs) => {
        expect(parseWwwAuthenticate(formatWwwAuthenticate(cs))).toStrictEqual(cs);
      }),
      { numRuns: 500 },
    );
  });

  it('the formatted header never contains a control character or non-ASCII', () => {
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 5 }), (cs) => {
        expect(formatWwwAuthenticate(cs)).toMatch(/^[\x20-\x7e]+$/);
      }),
    );
  });

  /** What every parse result must look like, whatever the input. */
  function expectSane(result: Challenge[]): void {
    expect(Array.isArray(result)).toBe(true);
    expect(result.length).toBeLessThanOrEqual(MAX_CHALLENGES);
    for (const c of result) {
      expect(c.scheme).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
      const names = Object.keys(c.params);
      expect(names.length).toBeLessThanOrEqual(MAX_PARAMS_PER_CHALLENGE);
      if (c.token68 !== undefined) {
        expect(names).toStrictEqual([]);
        expect(c.token68).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/);
      }
      for (const n of names) {
        expect(n).toMatch(/^[!#$%&'*+\-.^_`|~0-9a-z]+$/);
        const value = c.params[n] ?? '';
        const controls = [...value].filter((ch) => (ch < ' ' && ch !== '\t') || ch === '\x7f');
        expect(controls).toStrictEqual([]);
      }
    }
  }

  it('parse never throws on arbitrary strings, unicode included', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
        (s) => {
          expectSane(parseWwwAuthenticate(s));
        },
      ),
      { numRuns: 1000 },
    );
    // CPU-bound: give a loaded machine time (the count of runs is the bound, not the clock).
  }, 30_000);

  it('parse never throws on header-like noise, single or multi-line', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '"',
        '\\',
        ',',
        '=',
        ' ',
        '\t',
        '\r\n',
        '\0',
        'Bearer',
        'realm',
        'abc==',
        'é',
        '\u212A',
      ),
      token,
    );
    const line = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(line, fc.array(line, { maxLength: 4 })), (input) => {
        expectSane(parseWwwAuthenticate(input));
      }),
      { numRuns: 2000 },
    );
  });
});
