import { SignJWT, exportJWK, importJWK, type JWK } from 'jose';
import type { SignedMetadataOptions } from '../model/signed-metadata-types.js';
import type { ProtectedResourceMetadata } from '../model/metadata.js';
import { PRIVATE_JWK_MEMBERS, keyKind } from './signed-metadata-schema.js';

/** A key ready for jose, imported once. */
type ImportedKey = Awaited<ReturnType<typeof importJWK>> | CryptoKey;

/** Signs metadata documents with one configured key. */
export interface MetadataSigner {
  /**
   * `document` with `signed_metadata` added: a compact JWS (typ `JWT`) over every other
   * member plus `iss`, `iat` = `now` and, with a lifetime, `exp`.
   */
  sign(document: ProtectedResourceMetadata, now: number): Promise<ProtectedResourceMetadata>;
  /** The public JWKS (one key, `use: sig`, with `alg` and `kid`). */
  publicJwks(): Promise<{ keys: JWK[] }>;
}

/** The `kid` the JWS header carries: the option, else the JWK's own. */
function kidOf(options: SignedMetadataOptions): string | undefined {
  if (options.kid !== undefined) return options.kid;
  const k = keyKind(options.key);
  return k.kind === 'jwk' && typeof k.jwk.kid === 'string' ? k.jwk.kid : undefined;
}

/**
 * A signer for validated `signedMetadata` options. Key import happens on first use (Web
 * Crypto is asynchronous) and is kept.
 *
 * @see RFC 9728 §2.2, RFC 7515, RFC 7519
 */
export function createMetadataSigner(options: SignedMetadataOptions): MetadataSigner {
  const kid = kidOf(options);
  let imported: Promise<ImportedKey> | undefined;
  const key = (): Promise<ImportedKey> => {
    imported ??= (async () => {
      const k = keyKind(options.key);
      if (k.kind === 'jwk') return importJWK(k.jwk as JWK, options.alg, { extractable: true });
      return options.key as CryptoKey;
    })();
    return imported;
  };
  return {
    async sign(document, now) {
      const claims: Record<string, unknown> = { ...document };
      // Never sign a signature (RFC 9728 §2.2: the JWT SHOULD NOT contain signed_metadata).
      delete claims['signed_metadata'];
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: options.alg, typ: 'JWT', ...(kid === undefined ? {} : { kid }) })
        .setIssuer(options.issuer)
        .setIssuedAt(now);
      if (options.lifetime !== undefined) jwt.setExpirationTime(now + options.lifetime);
      const signed = await jwt.sign(await key());
      return Object.freeze({ ...document, signed_metadata: signed });
    },
    async publicJwks() {
      const k = keyKind(options.key);
      const jwk: Record<string, unknown> =
        k.kind === 'jwk' ? { ...k.jwk } : { ...(await exportJWK(await key())) };
      for (const member of PRIVATE_JWK_MEMBERS) delete jwk[member];
      delete jwk['key_ops'];
      delete jwk['ext'];
      return {
        keys: [{ ...jwk, use: 'sig', alg: options.alg, ...(kid === undefined ? {} : { kid }) }],
      };
    },
  };
}
