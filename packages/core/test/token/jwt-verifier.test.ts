import { describe, expect, it } from 'vitest';
import { base64url, exportSPKI } from 'jose';
import type { TestIssuer } from '@prmkit/testing';
import { PrmkitConfigError, TokenError, UpstreamError } from '../../src/model/errors.js';
import {
  RESOURCE,
  codeOf,
  errorOf,
  jwksRequests,
  jwtVerifierFor,
  startIssuer,
  startServer,
} from './helpers.js';

describe('createJwtVerifier: accepts', () => {
  it('a valid RFC 9068 RS256 token and normalizes it', async () => {
    const as = await startIssuer({ alg: 'RS256' });
    const auth = await jwtVerifierFor(as).verify(await as.mint());
    expect(auth).toMatchObject({
      subject: 'user-123',
      clientId: 'client-abc',
      scopes: ['read', 'write'],
      audience: [RESOURCE],
      issuer: as.issuer,
    });
  });

  it('ES256 and EdDSA tokens', async () => {
    for (const alg of ['ES256', 'EdDSA']) {
      const as = await startIssuer({ alg });
      const auth = await jwtVerifierFor(as).verify(await as.mint());
      expect(auth.subject).toBe('user-123');
    }
  });

  it('a typ with the application/ prefix, in any case', async () => {
    const as = await startIssuer();
    await expect(
      jwtVerifierFor(as).verify(await as.mint({}, { typ: 'application/AT+JWT' })),
    ).resolves.toBeDefined();
  });
});

describe('createJwtVerifier: claims', () => {
  it('issuer compared exactly, refused before any JWKS request', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as);
    expect(await codeOf(verifier.verify(await as.mint({ iss: `${as.issuer}/` })))).toBe(
      'issuer_mismatch',
    );
    expect(await codeOf(verifier.verify(await as.mint({ iss: 'https://evil.example' })))).toBe(
      'issuer_mismatch',
    );
    expect(jwksRequests(as)).toBe(0);
  });

  it('audience exact: sibling path, trailing slash and case all fail', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as);
    for (const aud of [
      `${RESOURCE}-admin`,
      'http://127.0.0.1:4000/mcp-admin',
      `${RESOURCE}/`,
      'http://127.0.0.1:4000/MCP',
    ]) {
      expect(await codeOf(verifier.verify(await as.mint({ aud }))), aud).toBe('audience_mismatch');
    }
    expect(await codeOf(verifier.verify(await as.mint({ aud: undefined })))).toBe('claim_missing');
  });

  it('exp required; expired beyond the tolerance refused, within accepted', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as);
    const now = Math.floor(Date.now() / 1000);
    expect(await codeOf(verifier.verify(await as.mint({ exp: undefined })))).toBe('claim_missing');
    expect(await codeOf(verifier.verify(await as.mint({ exp: now - 60 })))).toBe('token_expired');
    await expect(verifier.verify(await as.mint({ exp: now - 10 }))).resolves.toBeDefined();
  });

  it('nbf in the future and iat in the future are refused', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as);
    const now = Math.floor(Date.now() / 1000);
    expect(await codeOf(verifier.verify(await as.mint({ nbf: now + 120 })))).toBe(
      'token_not_yet_valid',
    );
    expect(await codeOf(verifier.verify(await as.mint({ iat: now + 120 })))).toBe(
      'token_issued_in_future',
    );
  });
});

describe('createJwtVerifier: sender-constrained tokens', () => {
  it('refuses a DPoP- or mTLS-bound token (cnf) presented as a bearer token: no proof is checked (RFC 9449 §7.2, RFC 8705 §3)', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as);
    for (const cnf of [
      { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' },
      { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' },
    ]) {
      const error = await errorOf(verifier.verify(await as.mint({ cnf })));
      expect(error).toBeInstanceOf(TokenError);
      expect((error as TokenError).code).toBe('claim_invalid');
    }
    // An unbound token from the same issuer is still accepted.
    await expect(verifier.verify(await as.mint())).resolves.toBeDefined();
  });
});

/**
 * A token of `as` re-signed (ES256, Web Crypto, as jose does) with `extra` protected header
 * members: jose refuses to sign a `crit` it does not understand, and the test needs one.
 */
async function signedWithHeader(as: TestIssuer, extra: Record<string, unknown>): Promise<string> {
  const [header = '', payload = ''] = (await as.mint()).split('.');
  const decoded = JSON.parse(new TextDecoder().decode(base64url.decode(header))) as object;
  const input = `${base64url.encode(JSON.stringify({ ...decoded, ...extra }))}.${payload}`;
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    as.privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}

describe('createJwtVerifier: JWS extensions', () => {
  it('refuses b64/crit headers even when validly signed (a JWT payload is always base64url)', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as);
    const signedB64 = await as.mint({}, { header: { b64: true, crit: ['b64'] } });
    expect(await codeOf(verifier.verify(signedB64))).toBe('token_malformed');
    // The re-signing is sound: without the extension the same token is accepted.
    await expect(verifier.verify(await signedWithHeader(as, {}))).resolves.toBeDefined();
    expect(await codeOf(verifier.verify(await signedWithHeader(as, { crit: ['exp'] })))).toBe(
      'token_malformed',
    );
  });
});

describe('createJwtVerifier: algorithms and types', () => {
  it('refuses alg none (hand-crafted, unsigned)', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as);
    const enc = (v: unknown) => base64url.encode(JSON.stringify(v));
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: as.issuer, aud: RESOURCE, exp: now + 600, sub: 'x' };
    for (const alg of ['none', 'None', 'NONE']) {
      const token = `${enc({ alg, typ: 'at+jwt' })}.${enc(payload)}.`;
      expect(await codeOf(verifier.verify(token)), alg).toBe('algorithm_not_allowed');
    }
    expect(await codeOf(verifier.verify(await as.mint({}, { alg: 'none' })))).toBe(
      'algorithm_not_allowed',
    );
  });

  it('refuses HS256 signed with the RSA public key (key confusion)', async () => {
    const as = await startIssuer({ alg: 'RS256' });
    const pem = new TextEncoder().encode(await exportSPKI(as.publicKey));
    const jwkBytes = new TextEncoder().encode(JSON.stringify(as.publicJwk));
    const verifier = jwtVerifierFor(as);
    for (const key of [pem, jwkBytes]) {
      const token = await as.mint({}, { alg: 'HS256', key });
      expect(await codeOf(verifier.verify(token))).toBe('algorithm_not_allowed');
    }
    expect(jwksRequests(as)).toBe(0);
  });

  it('accepts HS256 only with a secret, and then only HS*', async () => {
    const as = await startIssuer();
    const secret = 'a-shared-secret-of-at-least-32-bytes!!';
    const hsToken = await as.mint(
      {},
      { alg: 'HS256', key: new TextEncoder().encode(secret), kid: null },
    );
    expect(await codeOf(jwtVerifierFor(as).verify(hsToken))).toBe('algorithm_not_allowed');
    const withSecret = jwtVerifierFor(as, { secret });
    await expect(withSecret.verify(hsToken)).resolves.toMatchObject({ subject: 'user-123' });
    // With a secret configured, RS256 tokens are refused (no JWKS is used).
    expect(await codeOf(withSecret.verify(await as.mint()))).toBe('algorithm_not_allowed');
    // A different secret: bad signature.
    const wrong = await as.mint(
      {},
      { alg: 'HS256', key: new TextEncoder().encode('another-secret-another-secret-xx') },
    );
    expect(await codeOf(withSecret.verify(wrong))).toBe('signature_invalid');
    expect(jwksRequests(as)).toBe(0);
  });

  it('refuses mixing HS* with asymmetric algorithms or none in the options', () => {
    expect(() => jwtVerifierForConfig({ algorithms: ['HS256'] })).toThrow(PrmkitConfigError);
    expect(() => jwtVerifierForConfig({ secret: 'x'.repeat(32), algorithms: ['RS256'] })).toThrow(
      PrmkitConfigError,
    );
    expect(() => jwtVerifierForConfig({ algorithms: ['none'] })).toThrow(PrmkitConfigError);
    expect(() => jwtVerifierForConfig({ jwksUri: 'http://jwks.example.com/keys' })).toThrow(
      PrmkitConfigError,
    );
  });

  it('refuses typ JWT or a missing typ by default, naming the option; accepts them when configured', async () => {
    const as = await startIssuer();
    const plain = await as.mint({}, { typ: 'JWT' });
    const untyped = await as.mint({}, { typ: null });
    const strict = jwtVerifierFor(as);
    for (const token of [plain, untyped]) {
      const error = await errorOf(strict.verify(token));
      expect(error.code).toBe('type_not_allowed');
      expect(error.message).toContain('jwt.acceptedTypes');
    }
    expect(await codeOf(strict.verify(await as.mint({}, { typ: 'id_token+jwt' })))).toBe(
      'type_not_allowed',
    );
    const lenient = jwtVerifierFor(as, { acceptedTypes: ['at+jwt', 'JWT'] });
    await expect(lenient.verify(plain)).resolves.toBeDefined();
    await expect(lenient.verify(untyped)).resolves.toBeDefined();
  });

  it('refuses algorithms outside a narrowed allow-list', async () => {
    const as = await startIssuer();
    expect(
      await codeOf(jwtVerifierFor(as, { algorithms: ['RS256'] }).verify(await as.mint())),
    ).toBe('algorithm_not_allowed');
  });
});

describe('createJwtVerifier: signatures and keys', () => {
  it('refuses a token signed by a key not in the JWKS', async () => {
    const as = await startIssuer();
    expect(await codeOf(jwtVerifierFor(as).verify(await as.mint({}, { key: 'other' })))).toBe(
      'signature_invalid',
    );
  });

  it('refuses a tampered payload', async () => {
    const as = await startIssuer();
    const [h, , s] = (await as.mint()).split('.');
    const forged = base64url.encode(
      JSON.stringify({ iss: as.issuer, aud: RESOURCE, exp: 9_999_999_999, sub: 'admin' }),
    );
    expect(await codeOf(jwtVerifierFor(as).verify(`${h}.${forged}.${s}`))).toBe(
      'signature_invalid',
    );
  });

  it('ignores jku, x5u and jwk headers: no request reaches the attacker, token refused', async () => {
    const as = await startIssuer();
    const attackerHits: string[] = [];
    const attacker = await startServer((req, res) => {
      attackerHits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [] }));
    });
    const verifier = jwtVerifierFor(as);
    const { publicJwk } = await startIssuer(); // an unrelated key the attacker controls
    const forged = await as.mint(
      {},
      {
        key: 'other',
        kid: 'attacker',
        header: { jku: `${attacker.url}/jwks`, x5u: `${attacker.url}/cert`, jwk: publicJwk },
      },
    );
    const code = await codeOf(verifier.verify(forged));
    expect(['key_not_found', 'signature_invalid']).toContain(code);
    expect(attackerHits).toEqual([]);
  });

  it('maps malformed tokens to token_malformed', async () => {
    const as = await startIssuer();
    const verifier = jwtVerifierFor(as);
    for (const token of [
      'abc',
      'a.b',
      'a.b.c.d.e',
      '!!!.e30.sig',
      `${base64url.encode('{"alg":"RS256","typ":"at+jwt"}')}.%%%.sig`,
    ]) {
      expect(await codeOf(verifier.verify(token)), token).toBe('token_malformed');
    }
    const header = base64url.encode(JSON.stringify({ alg: 'RS256', typ: 'at+jwt' }));
    expect(await codeOf(verifier.verify(`${header}.${base64url.encode('[1]')}.sig`))).toBe(
      'token_malformed',
    );
  });

  it('errors are TokenError or UpstreamError only', async () => {
    const as = await startIssuer();
    const e = await errorOf(jwtVerifierFor(as).verify(await as.mint({}, { key: 'other' })));
    expect(e instanceof TokenError || e instanceof UpstreamError).toBe(true);
  });
});

function jwtVerifierForConfig(overrides: Record<string, unknown>) {
  return jwtVerifierFor(
    { issuer: 'http://127.0.0.1:1', jwksUri: 'http://127.0.0.1:1/jwks' } as never,
    overrides,
  );
}
