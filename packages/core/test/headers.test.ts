import { describe, expect, it } from 'vitest';
import { nodeRequestHeaders } from '../src/adapter.js';

describe('nodeRequestHeaders', () => {
  it('returns the same object when Authorization is not repeated', () => {
    const headers = { authorization: 'Bearer a', host: 'x' };
    expect(nodeRequestHeaders(headers, ['Host', 'x', 'Authorization', 'Bearer a'])).toBe(headers);
    expect(nodeRequestHeaders({}, [])).toEqual({});
  });

  it('keeps every value of a repeated Authorization header, whatever its case', () => {
    const headers = { authorization: 'Bearer a' };
    const out = nodeRequestHeaders(headers, [
      'authorization',
      'Bearer a',
      'AUTHORIZATION',
      'Bearer b',
    ]);
    expect(out.authorization).toEqual(['Bearer a', 'Bearer b']);
    expect(headers.authorization).toBe('Bearer a');
  });
});
