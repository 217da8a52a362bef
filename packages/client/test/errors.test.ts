import { describe, expect, it } from 'vitest';
import { PRMKIT_ERROR_CODES, PrmkitError } from '@prmkit/core';
import { CLIENT_ERROR_CODES, ClientError, DiscoveryError } from '@prmkit/client';

describe('ClientError', () => {
  it('is a PrmkitError whose code is one of CLIENT_ERROR_CODES (checked by the typecheck)', () => {
    const e = new ClientError('resource_mismatch', 'x', { status: 200, oauthError: 'e' });
    expect(e).toBeInstanceOf(PrmkitError);
    expect(e).toMatchObject({ name: 'ClientError', code: 'resource_mismatch', status: 200 });
    expect(new DiscoveryError(e, [])).toBeInstanceOf(PrmkitError);
    // @ts-expect-error a server-side code is not a client code
    expect(new ClientError('token_expired', 'x').code).toBe('token_expired');
  });

  it('lists each code once and shares only issuer_mismatch with the core', () => {
    expect(new Set(CLIENT_ERROR_CODES).size).toBe(CLIENT_ERROR_CODES.length);
    const shared = CLIENT_ERROR_CODES.filter((c) =>
      (PRMKIT_ERROR_CODES as readonly string[]).includes(c),
    );
    expect(shared).toEqual(['issuer_mismatch']);
  });
});
