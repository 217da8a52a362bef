import { describe, expect, it } from 'vitest';
import {
  ClientError,
  assertPkceS256,
  authorizationServerMetadataProblems,
  resourceMetadataProblems,
  validateAuthorizationServerMetadata,
  validateResourceMetadata,
} from '@prmkit/client';

// The I/O-free halves of discovery (issue 24): each rule breaks its own assertion if removed.

const RESOURCE = 'https://mcp.example.com/mcp';
const ISSUER = 'https://auth.example.com';
const prm = { resource: RESOURCE, authorization_servers: [ISSUER], scopes_supported: ['read'] };
const asMetadata = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  code_challenge_methods_supported: ['S256'],
};

function thrown(fn: () => unknown): ClientError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ClientError);
    return e as ClientError;
  }
  throw new Error('expected a ClientError');
}

describe('validateResourceMetadata', () => {
  it('accepts a document whose resource is the expected one, and returns it', () => {
    expect(validateResourceMetadata(prm, { expectedResource: RESOURCE })).toBe(prm);
    expect(validateResourceMetadata(prm, { expectedResource: new URL(RESOURCE) })).toBe(prm);
    expect(resourceMetadataProblems(prm, { expectedResource: RESOURCE })).toEqual([]);
  });

  it('RFC 9728 §3.3: a resource other than the expected one is resource_mismatch', () => {
    const e = thrown(() =>
      validateResourceMetadata(
        { ...prm, resource: 'https://mcp.example.com/other' },
        { expectedResource: RESOURCE },
      ),
    );
    expect(e.code).toBe('resource_mismatch');
    expect(e.message).toContain('RFC 9728 §3.3');
    // The origin is another identifier than the path-aware one.
    expect(
      resourceMetadataProblems(
        { ...prm, resource: 'https://mcp.example.com' },
        { expectedResource: RESOURCE },
      ).map((p) => [p.code, p.member, p.verdict]),
    ).toEqual([['resource_mismatch', 'resource', 'refused']]);
  });

  it.each([
    ['not an object', ['x']],
    ['null', null],
    ['no resource', { authorization_servers: [ISSUER] }],
    ['resource not a string', { ...prm, resource: 42 }],
    ['resource not a URL', { ...prm, resource: 'mcp' }],
    ['no authorization_servers', { resource: RESOURCE }],
    ['empty authorization_servers', { ...prm, authorization_servers: [] }],
    ['authorization_servers not strings', { ...prm, authorization_servers: [1] }],
    ['scopes_supported not strings', { ...prm, scopes_supported: 'read' }],
  ])('%s is resource_metadata_invalid', (_, doc) => {
    expect(thrown(() => validateResourceMetadata(doc, { expectedResource: RESOURCE })).code).toBe(
      'resource_metadata_invalid',
    );
  });

  it('an authorization server the client may not fetch is insecure_url, unless allowed', () => {
    const doc = { ...prm, authorization_servers: ['https://10.0.0.1'] };
    expect(thrown(() => validateResourceMetadata(doc, { expectedResource: RESOURCE })).code).toBe(
      'insecure_url',
    );
    expect(
      validateResourceMetadata(doc, {
        expectedResource: RESOURCE,
        allowPrivateNetwork: 'private-and-link-local',
      }),
    ).toBe(doc);
    const http = { ...prm, authorization_servers: ['http://auth.example.com'] };
    expect(thrown(() => validateResourceMetadata(http, { expectedResource: RESOURCE })).code).toBe(
      'insecure_url',
    );
  });

  it('lists every problem, each under its member', () => {
    const problems = resourceMetadataProblems(
      { resource: 'https://elsewhere.example', scopes_supported: [1] },
      { expectedResource: RESOURCE },
    );
    expect(problems.map((p) => p.member)).toEqual([
      'resource',
      'authorization_servers',
      'scopes_supported',
    ]);
  });
});

describe('validateAuthorizationServerMetadata', () => {
  it('accepts metadata whose issuer is identical, and returns it', () => {
    expect(validateAuthorizationServerMetadata(asMetadata, { expectedIssuer: ISSUER })).toBe(
      asMetadata,
    );
  });

  it('RFC 8414 §3.3: an issuer that is not identical is issuer_mismatch', () => {
    for (const issuer of [`${ISSUER}/`, 'https://AUTH.example.com', undefined]) {
      const e = thrown(() =>
        validateAuthorizationServerMetadata({ ...asMetadata, issuer }, { expectedIssuer: ISSUER }),
      );
      expect(e.code).toBe('issuer_mismatch');
      expect(e.message).toContain('RFC 8414 §3.3');
    }
  });

  it('not an object is authorization_server_metadata_invalid', () => {
    expect(
      thrown(() => validateAuthorizationServerMetadata('x', { expectedIssuer: ISSUER })).code,
    ).toBe('authorization_server_metadata_invalid');
  });

  it('an endpoint the client may not send to is authorization_server_metadata_invalid', () => {
    for (const member of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint']) {
      const problems = authorizationServerMetadataProblems(
        { ...asMetadata, [member]: 'http://auth.example.com/x' },
        { expectedIssuer: ISSUER },
      );
      expect(problems.map((p) => [p.code, p.member])).toEqual([
        ['authorization_server_metadata_invalid', member],
      ]);
    }
  });

  it('PKCE S256: required by default, assumed on request, or left to the authorization request', () => {
    const plain = { ...asMetadata, code_challenge_methods_supported: ['plain'] };
    const silent = { ...asMetadata, code_challenge_methods_supported: undefined };
    expect(
      thrown(() => validateAuthorizationServerMetadata(plain, { expectedIssuer: ISSUER })).code,
    ).toBe('pkce_unsupported');
    expect(
      thrown(() => validateAuthorizationServerMetadata(silent, { expectedIssuer: ISSUER })).code,
    ).toBe('pkce_unsupported');
    expect(
      validateAuthorizationServerMetadata(silent, { expectedIssuer: ISSUER, pkce: 'assume-s256' }),
    ).toBe(silent);
    expect(
      thrown(() =>
        validateAuthorizationServerMetadata(plain, { expectedIssuer: ISSUER, pkce: 'assume-s256' }),
      ).code,
    ).toBe('pkce_unsupported');
    expect(
      validateAuthorizationServerMetadata(plain, {
        expectedIssuer: ISSUER,
        pkce: 'checked-by-authorization-request',
      }),
    ).toBe(plain);
    // assertPkceS256 applies the same rule.
    expect(thrown(() => assertPkceS256(plain)).code).toBe('pkce_unsupported');
  });
});
