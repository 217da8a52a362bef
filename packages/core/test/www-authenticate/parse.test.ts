import { describe, expect, it } from 'vitest';
import { findChallenge, parseWwwAuthenticate } from '../../src/www-authenticate/index.js';

const PRM = 'https://resource.example.com/.well-known/oauth-protected-resource';

describe('parseWwwAuthenticate: RFC examples', () => {
  it('RFC 6750 §3', () => {
    expect(parseWwwAuthenticate('Bearer realm="example"')).toStrictEqual([
      { scheme: 'Bearer', params: { realm: 'example' } },
    ]);
    expect(
      parseWwwAuthenticate(
        'Bearer realm="example",\r\n error="invalid_token",\r\n error_description="The access token expired"'.replace(
          /\r\n/g,
          '',
        ),
      ),
    ).toStrictEqual([
      {
        scheme: 'Bearer',
        params: {
          realm: 'example',
          error: 'invalid_token',
          error_description: 'The access token expired',
        },
      },
    ]);
  });

  it('RFC 9728 §5.1, including BWS after "="', () => {
    expect(parseWwwAuthenticate(`Bearer resource_metadata="${PRM}"`)).toStrictEqual([
      { scheme: 'Bearer', params: { resource_metadata: PRM } },
    ]);
    expect(
      parseWwwAuthenticate(
        `Bearer error="invalid_request", error_description="No access token was provided in this request", resource_metadata= "${PRM}"`,
      ),
    ).toStrictEqual([
      {
        scheme: 'Bearer',
        params: {
          error: 'invalid_request',
          error_description: 'No access token was provided in this request',
          resource_metadata: PRM,
        },
      },
    ]);
  });

  it('RFC 9449 §7.1 DPoP with algs, and Bearer + DPoP together', () => {
    expect(parseWwwAuthenticate('DPoP algs="ES256 PS256"')).toStrictEqual([
      { scheme: 'DPoP', params: { algs: 'ES256 PS256' } },
    ]);
    expect(
      parseWwwAuthenticate(
        'DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256"',
      ),
    ).toStrictEqual([
      {
        scheme: 'DPoP',
        params: {
          error: 'invalid_token',
          error_description: 'Invalid DPoP key binding',
          algs: 'ES256',
        },
      },
    ]);
    expect(parseWwwAuthenticate('Bearer, DPoP algs="ES256 PS256"')).toStrictEqual([
      { scheme: 'Bearer', params: {} },
      { scheme: 'DPoP', params: { algs: 'ES256 PS256' } },
    ]);
  });

  it('RFC 9110 §11.6.1 multi-challenge example (token value, escaped quotes)', () => {
    expect(
      parseWwwAuthenticate(
        'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
      ),
    ).toStrictEqual([
      { scheme: 'Newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'Basic', params: { realm: 'simple' } },
    ]);
  });

  it('token68 forms', () => {
    expect(parseWwwAuthenticate('Basic dXNlcjpwYXNz')).toStrictEqual([
      { scheme: 'Basic', params: {}, token68: 'dXNlcjpwYXNz' },
    ]);
    expect(parseWwwAuthenticate('Negotiate abc==, Bearer realm="x"')).toStrictEqual([
      { scheme: 'Negotiate', params: {}, token68: 'abc==' },
      { scheme: 'Bearer', params: { realm: 'x' } },
    ]);
    expect(parseWwwAuthenticate('Negotiate a+b/c=  ,Basic')).toStrictEqual([
      { scheme: 'Negotiate', params: {}, token68: 'a+b/c=' },
      { scheme: 'Basic', params: {} },
    ]);
    // "abc=" then the end: a token68 with padding, not a param with no value.
    expect(parseWwwAuthenticate('Foo abc=')).toStrictEqual([
      { scheme: 'Foo', params: {}, token68: 'abc=' },
    ]);
  });
});

describe('parseWwwAuthenticate: list syntax and case', () => {
  it('keeps the scheme spelling and lower-cases param names', () => {
    const [c] = parseWwwAuthenticate('bEaReR Resource_Metadata="x", SCOPE="a b"');
    expect(c).toStrictEqual({ scheme: 'bEaReR', params: { resource_metadata: 'x', scope: 'a b' } });
    expect(findChallenge(parseWwwAuthenticate('bEaReR realm="x"'), 'BEARER')?.params.realm).toBe(
      'x',
    );
  });

  it('accepts empty list elements and OWS everywhere allowed', () => {
    expect(parseWwwAuthenticate(' ,, Bearer \t realm = "a" ,\t, scope=b , ,Basic ,')).toStrictEqual(
      [
        { scheme: 'Bearer', params: { realm: 'a', scope: 'b' } },
        { scheme: 'Basic', params: {} },
      ],
    );
  });

  it('reads challenges across several header lines', () => {
    expect(
      parseWwwAuthenticate(['Bearer realm="a"', 'DPoP algs="ES256", Basic realm="b"']),
    ).toStrictEqual([
      { scheme: 'Bearer', params: { realm: 'a' } },
      { scheme: 'DPoP', params: { algs: 'ES256' } },
      { scheme: 'Basic', params: { realm: 'b' } },
    ]);
    // Lines combine as if joined by ", ": a param line continues the previous challenge.
    expect(parseWwwAuthenticate(['Bearer realm="a"', 'scope="s"'])).toStrictEqual([
      { scheme: 'Bearer', params: { realm: 'a', scope: 's' } },
    ]);
  });

  it('keeps commas, equals signs and escapes inside quoted strings', () => {
    expect(
      parseWwwAuthenticate('Bearer a="x, Basic realm=y", b="\\\\", c="\\q", d=""'),
    ).toStrictEqual([
      { scheme: 'Bearer', params: { a: 'x, Basic realm=y', b: '\\', c: 'q', d: '' } },
    ]);
  });

  it('keeps the first of duplicate params (any case)', () => {
    expect(parseWwwAuthenticate('Bearer scope="a", SCOPE="b", scope=c')).toStrictEqual([
      { scheme: 'Bearer', params: { scope: 'a' } },
    ]);
  });

  it('stores names like __proto__ and constructor as plain own properties', () => {
    const [c] = parseWwwAuthenticate('X __proto__="p", constructor="c", toString=t');
    expect(Object.getPrototypeOf(c?.params)).toBe(Object.prototype);
    expect(Object.keys(c?.params ?? {})).toStrictEqual(['__proto__', 'constructor', 'tostring']);
    expect(c?.params.constructor).toBe('c');
  });
});

describe('parseWwwAuthenticate: malformed input', () => {
  it('never throws and returns [] for non-strings', () => {
    for (const bad of [
      undefined,
      null,
      42,
      {},
      Symbol('x'),
      () => 1,
      new Proxy([], {
        get: () => {
          throw new Error('boom');
        },
      }),
    ]) {
      expect(parseWwwAuthenticate(bad as unknown as string)).toStrictEqual([]);
    }
    expect(parseWwwAuthenticate('')).toStrictEqual([]);
    expect(parseWwwAuthenticate([])).toStrictEqual([]);
    expect(parseWwwAuthenticate([1, 'Basic', null] as unknown as string[])).toStrictEqual([
      { scheme: 'Basic', params: {} },
    ]);
  });

  it('an unclosed quote drops that param, keeps what came before, and ends at its own line', () => {
    expect(parseWwwAuthenticate('Bearer realm="a", scope="unclosed, Basic realm="b')).toStrictEqual(
      [{ scheme: 'Bearer', params: { realm: 'a' } }],
    );
    expect(parseWwwAuthenticate(['Bearer error="x', 'Basic realm="b"'])).toStrictEqual([
      { scheme: 'Bearer', params: {} },
      { scheme: 'Basic', params: { realm: 'b' } },
    ]);
    expect(parseWwwAuthenticate('Bearer realm="a\\')).toStrictEqual([
      { scheme: 'Bearer', params: {} },
    ]);
  });

  it('skips garbage segments and keeps well-formed challenges around them', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="a", @@@ "junk", = , x=, Basic realm="b", Digest@ foo=bar, DPoP algs=ES256',
      ),
    ).toStrictEqual([
      { scheme: 'Bearer', params: { realm: 'a' } },
      { scheme: 'Basic', params: { realm: 'b' } },
      // foo=bar followed a malformed scheme: dropped, not pinned on Basic.
      { scheme: 'DPoP', params: { algs: 'ES256' } },
    ]);
  });

  it('drops params before any challenge and after a token68', () => {
    expect(parseWwwAuthenticate('realm="x", Negotiate abc, realm="y", Basic')).toStrictEqual([
      { scheme: 'Negotiate', params: {}, token68: 'abc' },
      { scheme: 'Basic', params: {} },
    ]);
  });

  it('refuses a param value followed by junk', () => {
    expect(parseWwwAuthenticate('Bearer a="x"y, b=c d, e=f')).toStrictEqual([
      { scheme: 'Bearer', params: { e: 'f' } },
    ]);
  });

  it('a space-separated word after a scheme is garbage, not a new scheme', () => {
    expect(parseWwwAuthenticate('Bearer foo bar=x, y=z')).toStrictEqual([
      { scheme: 'Bearer', params: { y: 'z' } },
    ]);
  });

  it('refuses control characters inside quoted strings, including escaped ones', () => {
    expect(parseWwwAuthenticate('Bearer a="x\r\nSet-Cookie: s=1", b="ok"')).toStrictEqual([
      { scheme: 'Bearer', params: { b: 'ok' } },
    ]);
    expect(parseWwwAuthenticate('Bearer a="x\\\0y", b="ok"')).toStrictEqual([
      { scheme: 'Bearer', params: { b: 'ok' } },
    ]);
    // HTAB and obs-text are legal qdtext.
    expect(parseWwwAuthenticate('Bearer a="x\ty\u00e9"')).toStrictEqual([
      { scheme: 'Bearer', params: { a: 'x\ty\u00e9' } },
    ]);
  });

  it('does not treat non-ASCII letters as token characters', () => {
    expect(parseWwwAuthenticate('B\u212Aearer realm="x", Bearer')).toStrictEqual([
      { scheme: 'Bearer', params: {} },
    ]);
  });
});

describe('findChallenge', () => {
  const list = parseWwwAuthenticate(
    'Basic realm="a", DPoP algs="ES256", bearer realm="b", Bearer realm="c"',
  );

  it('matches case-insensitively and returns the first match', () => {
    expect(findChallenge(list, 'BEARER')?.params.realm).toBe('b');
    expect(findChallenge(list, 'dpop')?.params.algs).toBe('ES256');
  });

  it('returns undefined for a missing scheme, a prefix, or a Unicode case-fold look-alike', () => {
    expect(findChallenge(list, 'Negotiate')).toBeUndefined();
    expect(findChallenge(list, 'Bear')).toBeUndefined();
    expect(findChallenge([{ scheme: '\u212Aey', params: {} }], 'key')).toBeUndefined();
    expect(findChallenge(null as unknown as [], 'Bearer')).toBeUndefined();
  });
});
