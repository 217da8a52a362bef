import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDpopProof,
  generateDpopKey,
  isDpopKeyPair,
  parseTokenResponse,
} from '@prmkit/client';
import { FileCredentialStore } from '@prmkit/client/node';
import { DEFAULT_DPOP_ALGORITHMS, verifyDpopProof } from '@prmkit/core/verify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';

describe('DPoP proofs of the client', () => {
  it('makes a proof the core accepts, with a non-extractable key and a fresh jti', async () => {
    const key = await generateDpopKey();
    expect(key.privateKey.extractable).toBe(false);
    const input = { method: 'post', url: 'https://mcp.example.com/mcp?x=1#f', accessToken: 'tok' };
    const proof = await createDpopProof(key, input);
    const checked = await verifyDpopProof(proof, {
      method: 'POST',
      url: 'https://mcp.example.com/mcp',
      accessToken: 'tok',
      algorithms: DEFAULT_DPOP_ALGORITHMS,
      maxAge: 60,
      futureTolerance: 5,
    });
    expect(checked.jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const header = decodeProtectedHeader(proof);
    expect(header.typ).toBe('dpop+jwt');
    expect(Object.keys(header.jwk ?? {}).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(decodeJwt(proof).htu).toBe('https://mcp.example.com/mcp');
    const again = await createDpopProof(key, input);
    expect(decodeJwt(again).jti).not.toBe(decodeJwt(proof).jti);
    expect((await verifyDpopProof(again, { ...checkedExpect(), accessToken: 'tok' })).jkt).toBe(
      checked.jkt,
    );
  });

  it('carries a nonce when given and no ath on token requests', async () => {
    const proof = await createDpopProof(await generateDpopKey(), {
      method: 'POST',
      url: 'https://as.example.com/token',
      nonce: 'n-1',
    });
    const claims = decodeJwt(proof);
    expect(claims['nonce']).toBe('n-1');
    expect(claims['ath']).toBeUndefined();
  });
});

function checkedExpect() {
  return {
    method: 'POST',
    url: 'https://mcp.example.com/mcp',
    algorithms: DEFAULT_DPOP_ALGORITHMS,
    maxAge: 60,
    futureTolerance: 5,
  };
}

describe('token_type DPoP', () => {
  it('is accepted only for a request that carried a proof, and keeps the key', async () => {
    const key = await generateDpopKey();
    const body = { access_token: 'at', token_type: 'DPoP', expires_in: 60 };
    const tokens = parseTokenResponse(body, undefined, key);
    expect(tokens.tokenType).toBe('DPoP');
    expect(tokens.dpopKey).toBe(key);
    expect(() => parseTokenResponse(body)).toThrow(/unsupported token_type/);
    expect(
      parseTokenResponse({ access_token: 'at', token_type: 'bearer' }, undefined, key).tokenType,
    ).toBe('Bearer');
  });
});

describe('FileCredentialStore with DPoP-bound tokens', () => {
  it('keeps them in memory only (the key cannot be written) and the client in the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prmkit-dpop-'));
    try {
      const path = join(dir, 'credentials.json');
      const store = new FileCredentialStore(path);
      const key = { resource: 'https://mcp.example.com/mcp', issuer: 'https://as.example.com' };
      const client = {
        clientId: 'c1',
        tokenEndpointAuthMethod: 'none' as const,
        source: 'dynamic-registration' as const,
      };
      const tokens = { accessToken: 'at', tokenType: 'DPoP', dpopKey: await generateDpopKey() };
      await store.set(key, { client, tokens });
      expect((await store.get(key))?.tokens?.dpopKey).toBe(tokens.dpopKey);
      const file = await readFile(path, 'utf8');
      expect(file).not.toContain('"at"');
      expect(await new FileCredentialStore(path).get(key)).toEqual({ client });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('isDpopKeyPair', () => {
  it('tells a key pair from what a JSON store gives back', async () => {
    const key = await generateDpopKey();
    expect(isDpopKeyPair(key)).toBe(true);
    expect(isDpopKeyPair(JSON.parse(JSON.stringify(key)))).toBe(false);
    expect(isDpopKeyPair(undefined)).toBe(false);
  });
});
