import { describe, expect, it } from 'vitest';
import type { PrmkitError } from '../../src/model/errors.js';
import { TokenError } from '../../src/model/errors.js';
import { extractBearerToken } from '../../src/verify/token/index.js';
import type { RequestLike } from '../../src/model/types.js';

const headerOnly = { methods: ['header'] as const, maxLength: 100 };
const all = { methods: ['header', 'body', 'query'] as const, maxLength: 100 };

function req(partial: Partial<RequestLike>): RequestLike {
  return { method: 'GET', url: '/mcp', headers: {}, ...partial };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TokenError);
    return (e as PrmkitError).code;
  }
  return undefined;
}

describe('extractBearerToken', () => {
  it('returns undefined when there are no credentials at all', () => {
    expect(extractBearerToken(req({}), headerOnly)).toBeUndefined();
    expect(extractBearerToken(req({ headers: new Headers() }), headerOnly)).toBeUndefined();
  });

  it('reads the Authorization header from Node headers and Web Headers', () => {
    expect(
      extractBearerToken(req({ headers: { authorization: 'Bearer abc.def-_~+/==' } }), headerOnly),
    ).toEqual({
      token: 'abc.def-_~+/==',
      method: 'header',
      scheme: 'Bearer',
    });
    expect(
      extractBearerToken(
        req({ headers: new Headers({ Authorization: 'Bearer abc' }) }),
        headerOnly,
      ),
    ).toEqual({
      token: 'abc',
      method: 'header',
      scheme: 'Bearer',
    });
  });

  it('accepts the scheme in any case and several spaces', () => {
    expect(
      extractBearerToken(req({ headers: { authorization: 'bearer abc' } }), headerOnly)?.token,
    ).toBe('abc');
    expect(
      extractBearerToken(req({ headers: { authorization: 'BEARER   abc' } }), headerOnly)?.token,
    ).toBe('abc');
  });

  it('refuses two Authorization headers (array or comma-joined)', () => {
    expect(
      codeOf(() =>
        extractBearerToken(
          req({ headers: { authorization: ['Bearer a', 'Bearer b'] } }),
          headerOnly,
        ),
      ),
    ).toBe('multiple_authorization_headers');
    const h = new Headers();
    h.append('authorization', 'Bearer a');
    h.append('authorization', 'Bearer b');
    expect(codeOf(() => extractBearerToken(req({ headers: h }), headerOnly))).toBe(
      'multiple_authorization_headers',
    );
  });

  it('refuses empty and badly formed tokens (token_malformed) and malformed headers (invalid_request)', () => {
    const expected: Record<string, string> = {
      Bearer: 'token_malformed',
      'Bearer ': 'token_malformed',
      'Bearer a b': 'token_malformed',
      'Bearer a=b': 'token_malformed',
      'Bearer ab"c': 'token_malformed',
      // not `scheme SP credentials`: the header itself is malformed (RFC 6750 §3.1)
      '': 'invalid_request',
      'Bearer\tabc': 'invalid_request',
    };
    for (const [value, code] of Object.entries(expected)) {
      expect(
        codeOf(() => extractBearerToken(req({ headers: { authorization: value } }), headerOnly)),
        value,
      ).toBe(code);
    }
  });

  it('another scheme is no bearer credential: token_missing (RFC 6750 §3.1 bare challenge)', () => {
    for (const value of ['Basic dXNlcjpwYXNz', 'Bearerabc', 'DPoP abc', 'Negotiate']) {
      expect(
        codeOf(() => extractBearerToken(req({ headers: { authorization: value } }), headerOnly)),
        value,
      ).toBe('token_missing');
    }
  });

  it('refuses oversize tokens before looking at their characters', () => {
    expect(
      codeOf(() =>
        extractBearerToken(
          req({ headers: { authorization: `Bearer ${'a'.repeat(101)}` } }),
          headerOnly,
        ),
      ),
    ).toBe('token_too_large');
    // Invalid characters too: the size check comes first.
    expect(
      codeOf(() =>
        extractBearerToken(
          req({ headers: { authorization: `Bearer ${'"'.repeat(101)}` } }),
          headerOnly,
        ),
      ),
    ).toBe('token_too_large');
    expect(
      extractBearerToken(
        req({ headers: { authorization: `Bearer ${'a'.repeat(100)}` } }),
        headerOnly,
      )?.token,
    ).toHaveLength(100);
  });

  it('refuses a query token unless the query method is enabled', () => {
    expect(
      codeOf(() => extractBearerToken(req({ url: '/mcp?access_token=abc' }), headerOnly)),
    ).toBe('token_method_not_allowed');
    expect(
      extractBearerToken(req({ url: 'https://x.example/mcp?a=1&access_token=abc' }), all),
    ).toEqual({
      token: 'abc',
      method: 'query',
      scheme: 'Bearer',
    });
    expect(
      codeOf(() => extractBearerToken(req({ url: '/mcp?access_token=a&access_token=b' }), all)),
    ).toBe('multiple_token_methods');
  });

  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

  it('reads a form body token only for a form-encoded, non-GET request with the body method enabled', () => {
    const post = req({ method: 'POST', headers: formHeaders, body: { access_token: 'abc' } });
    expect(extractBearerToken(post, all)).toEqual({
      token: 'abc',
      method: 'body',
      scheme: 'Bearer',
    });
    expect(codeOf(() => extractBearerToken(post, headerOnly))).toBe('token_method_not_allowed');
    // JSON bodies and GET requests do not carry tokens.
    expect(
      extractBearerToken(
        req({
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: { access_token: 'abc' },
        }),
        all,
      ),
    ).toBeUndefined();
    expect(
      extractBearerToken(
        req({ method: 'GET', headers: formHeaders, body: { access_token: 'abc' } }),
        all,
      ),
    ).toBeUndefined();
  });

  it('refuses a token sent in two places', () => {
    const both = req({
      method: 'POST',
      headers: { ...formHeaders, authorization: 'Bearer abc' },
      body: { access_token: 'abc' },
    });
    expect(codeOf(() => extractBearerToken(both, headerOnly))).toBe('multiple_token_methods');
    const headerAndQuery = req({
      url: '/mcp?access_token=abc',
      headers: { authorization: 'Bearer abc' },
    });
    expect(codeOf(() => extractBearerToken(headerAndQuery, all))).toBe('multiple_token_methods');
  });
});
