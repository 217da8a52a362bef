import { describe, expect, it } from 'vitest';
import { HeaderValueError } from '../../src/model/errors.js';
import { formatWwwAuthenticate } from '../../src/www-authenticate/index.js';
import type { Challenge } from '../../src/www-authenticate/index.js';

const bearer = (params: Record<string, string>): Challenge[] => [{ scheme: 'Bearer', params }];

/** Asserts a HeaderValueError whose message names `name`. */
function expectRefused(challenges: Challenge[], name: string): void {
  let caught: unknown;
  try {
    formatWwwAuthenticate(challenges);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(HeaderValueError);
  const err = caught as HeaderValueError;
  expect(err.code).toBe('header_value_invalid');
  expect(err.message).toContain(name);
  // The message itself must be safe to log on one line.
  expect(err.message).not.toMatch(/[\r\n\0]/);
}

describe('formatWwwAuthenticate: output', () => {
  it('writes RFC 6750 §3 examples', () => {
    expect(formatWwwAuthenticate(bearer({ realm: 'example' }))).toBe('Bearer realm="example"');
    expect(
      formatWwwAuthenticate(
        bearer({
          realm: 'example',
          error: 'invalid_token',
          error_description: 'The access token expired',
        }),
      ),
    ).toBe(
      'Bearer realm="example", error="invalid_token", error_description="The access token expired"',
    );
  });

  it('writes the RFC 9728 §5.1 challenge with scope, params in the given order', () => {
    expect(
      formatWwwAuthenticate(
        bearer({
          resource_metadata: 'https://resource.example.com/.well-known/oauth-protected-resource',
          scope: 'files:read files:write',
        }),
      ),
    ).toBe(
      'Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource", scope="files:read files:write"',
    );
  });

  it('joins Bearer and DPoP (RFC 9449 §7.1 algs) challenges with ", "', () => {
    expect(
      formatWwwAuthenticate([
        { scheme: 'Bearer', params: { error: 'invalid_token' } },
        { scheme: 'DPoP', params: { algs: 'ES256 PS256', error: 'invalid_token' } },
      ]),
    ).toBe('Bearer error="invalid_token", DPoP algs="ES256 PS256", error="invalid_token"');
  });

  it('writes a bare scheme and a token68 challenge', () => {
    expect(formatWwwAuthenticate([{ scheme: 'Bearer', params: {} }])).toBe('Bearer');
    expect(formatWwwAuthenticate([{ scheme: 'Negotiate', params: {}, token68: 'abc+/x==' }])).toBe(
      'Negotiate abc+/x==',
    );
  });

  it('backslash-escapes " and \\ in other params', () => {
    expect(
      formatWwwAuthenticate([{ scheme: 'Newauth', params: { title: 'Login to "apps" \\o/' } }]),
    ).toBe('Newauth title="Login to \\"apps\\" \\\\o/"');
  });

  it('treats names like __proto__ and constructor as ordinary parameters', () => {
    const params = Object.fromEntries([
      ['__proto__', 'p "q"'],
      ['constructor', 'c'],
      ['hasOwnProperty', 'h'],
    ]) as Record<string, string>;
    expect(formatWwwAuthenticate([{ scheme: 'X', params }])).toBe(
      'X __proto__="p \\"q\\"", constructor="c", hasOwnProperty="h"',
    );
    expect(() => formatWwwAuthenticate([{ scheme: 'X', params: { toString: 'a\r\nb' } }])).toThrow(
      HeaderValueError,
    );
  });

  it('allows an empty realm and empty generic values', () => {
    expect(formatWwwAuthenticate([{ scheme: 'Basic', params: { realm: '', x: '' } }])).toBe(
      'Basic realm="", x=""',
    );
  });
});

describe('formatWwwAuthenticate: refusals', () => {
  it('refuses an empty challenge list and non-arrays', () => {
    expect(() => formatWwwAuthenticate([])).toThrow(HeaderValueError);
    expect(() => formatWwwAuthenticate('Bearer' as unknown as Challenge[])).toThrow(
      HeaderValueError,
    );
  });

  it('refuses a scheme that is not a token', () => {
    for (const scheme of ['', 'Bea rer', 'Bearer,', 'Bé', 'Bearer\r\nX: y', '"Bearer"']) {
      expect(() => formatWwwAuthenticate([{ scheme, params: {} }]), scheme).toThrow(
        HeaderValueError,
      );
    }
    expectRefused([{ scheme: 'Bearer realm', params: {} }], 'scheme');
  });

  it('refuses parameter names that are not tokens', () => {
    for (const name of ['', 'a b', 'a=b', 'a"', 'a,b', 'ä', 'x\r\nSet-Cookie']) {
      expect(() => formatWwwAuthenticate(bearer({ [name]: 'v' })), JSON.stringify(name)).toThrow(
        HeaderValueError,
      );
    }
    expectRefused(bearer({ 'a=b': 'v' }), 'a%3Db');
  });

  it('refuses duplicate names differing only in case', () => {
    expectRefused(bearer({ scope: 'a', Scope: 'b' }), 'Scope');
  });

  it('refuses the CRLF injection attempt in every kind of parameter', () => {
    const attack = 'x"\r\nSet-Cookie: a=b';
    for (const name of [
      'error_description',
      'error',
      'error_uri',
      'realm',
      'scope',
      'resource_metadata',
      'algs',
    ]) {
      expectRefused(bearer({ [name]: attack }), name);
    }
    // Even without the quote: a bare CR, LF or NUL is refused in a generic parameter.
    for (const ch of ['\r', '\n', '\0', '\t', '\x7f', '\x1b']) {
      expectRefused(bearer({ resource_metadata: `https://a.example/${ch}x` }), 'resource_metadata');
    }
  });

  it('refuses obs-text and non-ASCII in generic parameters', () => {
    expectRefused(bearer({ resource_metadata: 'https://bücher.example/' }), 'resource_metadata');
    expectRefused(bearer({ title: '\u00ff' }), 'title');
  });

  it('refuses " and \\ in error and error_description (RFC 6750 §3)', () => {
    expectRefused(bearer({ error_description: 'a "quote"' }), 'error_description');
    expectRefused(bearer({ error_description: 'back\\slash' }), 'error_description');
    expectRefused(bearer({ error: 'invalid"token' }), 'error');
    expectRefused(bearer({ error: 'invalid\\token' }), 'error');
  });

  it('allows a space in error_description but not in error_uri', () => {
    expect(formatWwwAuthenticate(bearer({ error_description: 'a b' }))).toBe(
      'Bearer error_description="a b"',
    );
    expectRefused(bearer({ error_uri: 'https://a.example/ x' }), 'error_uri');
    expectRefused(bearer({ error_uri: 'https://a.example/"x' }), 'error_uri');
    expectRefused(bearer({ error_uri: 'https://a.example/\\x' }), 'error_uri');
  });

  it('refuses " and \\ in realm', () => {
    expectRefused(bearer({ realm: 'a"b' }), 'realm');
    expectRefused(bearer({ realm: 'a\\b' }), 'realm');
  });

  it('applies the RFC 6750 rules to parameter names case-insensitively', () => {
    expectRefused(bearer({ Error_Description: 'a "quote"' }), 'Error_Description');
    expectRefused(bearer({ SCOPE: 'a  b' }), 'SCOPE');
  });

  it('refuses empty error, error_description, error_uri and scope', () => {
    for (const name of ['error', 'error_description', 'error_uri', 'scope']) {
      expectRefused(bearer({ [name]: '' }), name);
    }
  });

  it('refuses scope with leading, trailing or double spaces, or bad scope-token chars', () => {
    for (const scope of [' a', 'a ', 'a  b', ' ', 'a "b"', 'a\\b', 'a\tb', 'ä']) {
      expectRefused(bearer({ scope }), 'scope');
    }
    expect(formatWwwAuthenticate(bearer({ scope: 'a b:c !#$%&' }))).toBe(
      'Bearer scope="a b:c !#$%&"',
    );
  });

  it('refuses a bad token68, and token68 together with params', () => {
    for (const token68 of ['', 'abc def', '=abc', 'ab=c', 'a"b', 'a,b', 'a\r\n']) {
      expectRefused([{ scheme: 'Negotiate', params: {}, token68 }], 'token68');
    }
    expectRefused([{ scheme: 'Negotiate', params: { a: 'b' }, token68: 'abc' }], 'Negotiate');
  });

  it('refuses non-string values', () => {
    expectRefused([{ scheme: 'Bearer', params: { scope: 42 as unknown as string } }], 'scope');
  });
});
