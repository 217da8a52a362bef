import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/adapter.js';

describe('hashToken', () => {
  it('is the base64url SHA-256 of the token', async () => {
    const token = 'eyJhbGciOi.some.token';
    expect(await hashToken(token)).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(await hashToken(token)).not.toContain(token);
  });
});
