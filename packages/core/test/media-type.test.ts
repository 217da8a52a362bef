import { describe, expect, it } from 'vitest';
import { carriesJsonRpcBody } from '../src/adapter.js';
import { isJsonMediaType } from '../src/http.js';

describe('isJsonMediaType / carriesJsonRpcBody', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['application/vnd.acme+json', true],
    ['text/plain', false],
    ['application/jsonp', false],
    ['text/json', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (type, expected) => {
    expect(isJsonMediaType(type)).toBe(expected);
  });

  it('only a POST carries a JSON-RPC body', () => {
    expect(carriesJsonRpcBody('POST', 'application/json')).toBe(true);
    expect(carriesJsonRpcBody('post', 'application/json')).toBe(true);
    expect(carriesJsonRpcBody('GET', 'application/json')).toBe(false);
    expect(carriesJsonRpcBody('POST', 'text/plain')).toBe(false);
  });
});
