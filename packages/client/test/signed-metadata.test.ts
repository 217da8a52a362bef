import { afterEach, describe, expect, it } from 'vitest';
import {
  SignJWT,
  UnsecuredJWT,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
} from 'jose';
import { createResourceServer } from '@prmkit/core';
import { listen, startOAuthServerStandIn, startProtectedResourceStandIn } from '@prmkit/testing';
import type { OAuthServerStandIn } from '@prmkit/testing';
import { DiscoveryError, discover, verifySignedMetadata } from '@prmkit/client';

// RFC 9728 §2.2 (signed_metadata), §3.3 (the recipient MUST validate the signature and
// that the key belongs to iss). Real jose keys and signatures throughout.

const SIGNER = 'https://signer.example.com';
const loop = { allowHttp: 'loopback' as const };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

interface Keys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  privateJwk: JWK;
  publicJwk: JWK;
}
async function keys(kid = 'k1'): Promise<Keys> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    privateKey,
    publicKey,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' },
  };
}

/** An AS, and an RS whose metadata document is whatever `doc.current` holds. */
async function setup(): Promise<{
  as: OAuthServerStandIn;
  url: string;
  origin: string;
  doc: { current: Record<string, unknown> };
}> {
  const as = await startOAuthServerStandIn();
  closers.push(as.close);
  const doc = { current: {} as Record<string, unknown> };
  const rs = await startProtectedResourceStandIn({
    as,
    challengeResourceMetadata: false,
    prm: () => doc.current,
  });
  closers.push(rs.close);
  return { as, url: rs.url, origin: rs.origin, doc };
}

async function sign(
  claims: JWTPayload,
  key: CryptoKey | Uint8Array,
  header: { alg: string; kid?: string } = { alg: 'ES256', kid: 'k1' },
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header).setIssuedAt().sign(key);
}

async function failure(p: Promise<unknown>): Promise<DiscoveryError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DiscoveryError);
  return e as DiscoveryError;
}

describe('discover with signed_metadata (RFC 9728 §2.2)', () => {
  it('verifies a document signed by @prmkit/core and says who signed it', async () => {
    const { as, url, doc } = await setup();
    const k = await keys();
    const server = createResourceServer({
      resource: url,
      authorizationServers: [as.issuer],
      allowHttp: 'loopback',
      signedMetadata: { key: k.privateJwk, alg: 'ES256', issuer: SIGNER },
    });
    doc.current = { ...(await server.metadataReady()) };
    const result = await discover(url, {
      ...loop,
      signedMetadata: { trustedSigners: { [SIGNER]: { keys: [k.publicJwk] } } },
    });
    expect(result.issuer).toBe(as.issuer);
    expect(result.resourceMetadataSigner).toEqual({
      issuer: SIGNER,
      alg: 'ES256',
      kid: 'k1',
      overridden: [],
    });
    const step = result.steps.find((s) => s.step === 'resource_metadata');
    expect(step?.detail).toBe(`signed by ${SIGNER} (ES256, kid k1)`);
  });

  it('uses the signed values over the plain ones', async () => {
    const { as, url, doc } = await setup();
    const k = await keys();
    const signed = await sign(
      { iss: SIGNER, resource: url, authorization_servers: [as.issuer], scopes_supported: ['mcp'] },
      k.privateKey,
    );
    // The plain members name an authorization server that does not exist.
    doc.current = {
      resource: url,
      authorization_servers: ['https://attacker.example'],
      scopes_supported: ['everything'],
      signed_metadata: signed,
    };
    const result = await discover(url, {
      ...loop,
      signedMetadata: { trustedSigners: { [SIGNER]: { keys: [k.publicJwk] } } },
    });
    expect(result.issuer).toBe(as.issuer);
    expect(result.resourceMetadata.authorization_servers).toEqual([as.issuer]);
    expect(result.scopes).toEqual(['mcp']);
    expect(result.resourceMetadataSigner?.overridden).toEqual([
      'authorization_servers',
      'scopes_supported',
    ]);
    expect(result.resourceMetadata).not.toHaveProperty('iss');
  });

  it('ignores signed_metadata without trusted signers, and says so', async () => {
    const { as, url, doc } = await setup();
    const k = await keys();
    doc.current = {
      resource: url,
      authorization_servers: [as.issuer],
      signed_metadata: await sign(
        { iss: SIGNER, authorization_servers: ['https://x.example'] },
        k.privateKey,
      ),
    };
    const result = await discover(url, loop);
    expect(result.issuer).toBe(as.issuer);
    expect(result.resourceMetadataSigner).toBeUndefined();
    expect(result.steps.find((s) => s.step === 'resource_metadata')?.detail).toContain(
      'not checked',
    );
  });

  it('fetches pinned keys from a configured JWKS URL, never from the document’s own jwks_uri', async () => {
    const { as, url, doc } = await setup();
    const trusted = await keys();
    const forger = await keys();
    const jwks = await listen((req, res) => {
      const keySet = req.url === '/forged' ? [forger.publicJwk] : [trusted.publicJwk];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: keySet }));
    });
    closers.push(jwks.close);
    const policy = { trustedSigners: { [SIGNER]: `${jwks.url}/trusted` } };

    doc.current = {
      resource: url,
      authorization_servers: [as.issuer],
      signed_metadata: await sign({ iss: SIGNER, resource: url }, trusted.privateKey),
    };
    const ok = await discover(url, { ...loop, signedMetadata: policy });
    expect(ok.resourceMetadataSigner?.issuer).toBe(SIGNER);

    // Signed by a key the document itself advertises: proves nothing, refused.
    doc.current = {
      resource: url,
      authorization_servers: [as.issuer],
      jwks_uri: `${jwks.url}/forged`,
      signed_metadata: await sign({ iss: SIGNER, resource: url }, forger.privateKey),
    };
    const e = await failure(discover(url, { ...loop, signedMetadata: policy }));
    expect(e.code).toBe('signed_metadata_signature_invalid');
  });

  describe('refusals', () => {
    async function refusal(
      signedMetadata: unknown,
      policyKeys: JWK[],
      extra: {
        requireSignedMetadata?: 'always';
        algorithms?: string[];
        plain?: Record<string, unknown>;
      } = {},
    ): Promise<DiscoveryError> {
      const { as, url, doc } = await setup();
      const jws =
        typeof signedMetadata === 'function'
          ? await (signedMetadata as (u: string) => Promise<string>)(url)
          : signedMetadata;
      doc.current = {
        resource: url,
        authorization_servers: [as.issuer],
        ...extra.plain,
        ...(jws === undefined ? {} : { signed_metadata: jws }),
      };
      const e = await failure(
        discover(url, {
          ...loop,
          signedMetadata: {
            trustedSigners: { [SIGNER]: { keys: policyKeys } },
            ...(extra.requireSignedMetadata
              ? { requireSignedMetadata: extra.requireSignedMetadata }
              : {}),
            ...(extra.algorithms ? { algorithms: extra.algorithms } : {}),
          },
        }),
      );
      const step = e.steps.find((s) => s.step === 'resource_metadata');
      expect(step?.outcome).toBe('rejected');
      expect(step?.detail).toBe(e.code);
      return e;
    }

    it('a signature by another key', async () => {
      const k = await keys();
      const other = await keys();
      const e = await refusal(
        (u: string) => sign({ iss: SIGNER, resource: u }, other.privateKey),
        [k.publicJwk],
      );
      expect(e.code).toBe('signed_metadata_signature_invalid');
    });

    it('alg none', async () => {
      const k = await keys();
      const e = await refusal(
        (u: string) =>
          Promise.resolve(new UnsecuredJWT({ iss: SIGNER, resource: u }).setIssuedAt().encode()),
        [k.publicJwk],
      );
      expect(e.code).toBe('signed_metadata_alg_refused');
    });

    it('HS256 keyed with the public key, even when HS256 is in the configured algorithms', async () => {
      const k = await keys();
      const pem = await exportSPKI(k.publicKey);
      for (const secret of [
        new TextEncoder().encode(pem),
        new TextEncoder().encode(JSON.stringify(k.publicJwk)),
      ]) {
        const e = await refusal(
          (u: string) => sign({ iss: SIGNER, resource: u }, secret, { alg: 'HS256', kid: 'k1' }),
          [
            k.publicJwk,
            { kty: 'oct', k: Buffer.from(pem).toString('base64url'), kid: 'k1', alg: 'HS256' },
          ],
          { algorithms: ['ES256', 'HS256'] },
        );
        expect(e.code).toBe('signed_metadata_alg_refused');
      }
    });

    it('a nested signed_metadata in the payload', async () => {
      const k = await keys();
      const e = await refusal(
        (u: string) => sign({ iss: SIGNER, resource: u, signed_metadata: 'a.b.c' }, k.privateKey),
        [k.publicJwk],
      );
      expect(e.code).toBe('signed_metadata_invalid');
      expect(e.message).toContain('contains signed_metadata');
    });

    it('an expired signature', async () => {
      const k = await keys();
      const e = await refusal(
        (u: string) =>
          new SignJWT({ iss: SIGNER, resource: u })
            .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
            .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
            .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
            .sign(k.privateKey),
        [k.publicJwk],
      );
      expect(e.code).toBe('signed_metadata_expired');
    });

    it('an issuer with no pinned keys', async () => {
      const k = await keys();
      const e = await refusal(
        (u: string) => sign({ iss: 'https://someone-else.example', resource: u }, k.privateKey),
        [k.publicJwk],
      );
      expect(e.code).toBe('signed_metadata_untrusted_issuer');
    });

    it('a signed resource other than the one fetched for (RFC 9728 §3.3)', async () => {
      const k = await keys();
      const e = await refusal(
        () => sign({ iss: SIGNER, resource: 'https://other.example/mcp' }, k.privateKey),
        [k.publicJwk],
      );
      expect(e.code).toBe('resource_mismatch');
    });

    it('no iss', async () => {
      const k = await keys();
      const e = await refusal((u: string) => sign({ resource: u }, k.privateKey), [k.publicJwk]);
      expect(e.code).toBe('signed_metadata_invalid');
    });

    it('not a JWS at all', async () => {
      const k = await keys();
      const e = await refusal('not-a-jws', [k.publicJwk]);
      expect(e.code).toBe('signed_metadata_invalid');
    });

    it('an unsigned document when requireSignedMetadata is set', async () => {
      const k = await keys();
      const e = await refusal(undefined, [k.publicJwk], { requireSignedMetadata: 'always' });
      expect(e.code).toBe('signed_metadata_missing');
    });
  });

  it('requireSignedMetadata per server: only the listed resources must be signed', async () => {
    const { as, url, doc } = await setup();
    doc.current = { resource: url, authorization_servers: [as.issuer] };
    const trustedSigners = { [SIGNER]: { keys: [(await keys()).publicJwk] } };
    const other = await discover(url, {
      ...loop,
      signedMetadata: { trustedSigners, requireSignedMetadata: ['https://another.example/mcp'] },
    });
    expect(other.issuer).toBe(as.issuer);
    const e = await failure(
      discover(url, { ...loop, signedMetadata: { trustedSigners, requireSignedMetadata: [url] } }),
    );
    expect(e.code).toBe('signed_metadata_missing');
  });
});

describe('verifySignedMetadata', () => {
  it('checks exp against the given date', async () => {
    const k = await keys();
    const now = Math.floor(Date.now() / 1000);
    const jws = await new SignJWT({ iss: SIGNER, resource: 'https://r.example/mcp' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(k.privateKey);
    const opts = {
      expectedResource: 'https://r.example/mcp',
      trustedSigners: { [SIGNER]: { keys: [k.publicJwk] } },
    };
    const plain = { resource: 'https://r.example/mcp', signed_metadata: jws };
    await expect(verifySignedMetadata(plain, opts)).resolves.toMatchObject({
      signer: { issuer: SIGNER, kid: undefined },
    });
    await expect(
      verifySignedMetadata(plain, { ...opts, currentDate: new Date((now + 3600) * 1000) }),
    ).rejects.toMatchObject({ code: 'signed_metadata_expired' });
  });
});
