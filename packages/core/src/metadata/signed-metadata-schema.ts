import { z } from 'zod';
import type {
  MetadataSigningAlgorithm,
  MetadataSigningKey,
  SignedMetadataOptions,
} from '../model/signed-metadata-types.js';
import { checkUrl } from '../util/url.js';

/** The key family each algorithm needs: JWK `kty` (and `crv`). */
const KEY_FOR_ALG: Readonly<Record<MetadataSigningAlgorithm, { kty: string; crv?: string }>> = {
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  PS512: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
};

/**
 * The algorithms metadata may be signed with (`signedMetadata.alg`): asymmetric only.
 * RFC 9728 §2.2 allows MACs, but a client that holds a shared secret could forge the
 * metadata, and `none` signs nothing.
 *
 * @example
 * ```ts
 * METADATA_SIGNING_ALGORITHMS.includes('ES256'); // true
 * METADATA_SIGNING_ALGORITHMS.includes('HS256' as never); // false
 * ```
 * @see RFC 9728 §2.2, RFC 8725 §3.1
 */
export const METADATA_SIGNING_ALGORITHMS: readonly MetadataSigningAlgorithm[] = Object.freeze(
  Object.keys(KEY_FOR_ALG) as MetadataSigningAlgorithm[],
);

const WEB_CRYPTO_NAME: Readonly<Record<string, readonly string[]>> = {
  RSA: ['RSASSA-PKCS1-v1_5', 'RSA-PSS'],
  EC: ['ECDSA'],
  OKP: ['Ed25519'],
};

const NODE_KEY_TYPE: Readonly<Record<string, readonly string[]>> = {
  RSA: ['rsa', 'rsa-pss'],
  EC: ['ec'],
  OKP: ['ed25519'],
};

/** Members of a JWK that are private (RFC 7518 §6). */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

type KeyKind =
  | { kind: 'jwk'; jwk: JsonWebKey & { kid?: unknown } }
  | { kind: 'crypto-key'; key: CryptoKey }
  | { kind: 'key-object'; type: unknown; asymmetricKeyType: unknown };

/** Which of the accepted key shapes `key` is. */
export function keyKind(key: MetadataSigningKey): KeyKind {
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey)
    return { kind: 'crypto-key', key };
  const k = key as Record<string, unknown>;
  if (typeof k['export'] === 'function' && 'asymmetricKeyType' in k)
    return { kind: 'key-object', type: k['type'], asymmetricKeyType: k['asymmetricKeyType'] };
  return { kind: 'jwk', jwk: key as JsonWebKey };
}

/** What is wrong with the key for `alg`, as messages (empty: fine). */
function keyProblems(key: MetadataSigningKey, alg: MetadataSigningAlgorithm): string[] {
  const want = KEY_FOR_ALG[alg];
  const k = keyKind(key);
  if (k.kind === 'crypto-key') {
    if (k.key.type !== 'private') return ['must be a private key (CryptoKey.type "private")'];
    const algorithm = k.key.algorithm as { name: string; namedCurve?: string };
    if (!WEB_CRYPTO_NAME[want.kty]?.includes(algorithm.name))
      return [`a ${algorithm.name} key cannot sign ${alg}`];
    if (want.crv && algorithm.name === 'ECDSA' && algorithm.namedCurve !== want.crv)
      return [`${alg} needs a ${want.crv} key, not ${String(algorithm.namedCurve)}`];
    return [];
  }
  if (k.kind === 'key-object') {
    if (k.type !== 'private') return ['must be a private key (KeyObject.type "private")'];
    if (!NODE_KEY_TYPE[want.kty]?.includes(String(k.asymmetricKeyType)))
      return [`a ${String(k.asymmetricKeyType)} key cannot sign ${alg}`];
    return [];
  }
  const jwk = k.jwk;
  if (typeof jwk.kty !== 'string')
    return ['must be a private JWK (kty missing), a CryptoKey or a KeyObject'];
  if (jwk.kty === 'oct')
    return ['a symmetric (oct) key cannot sign metadata: use an asymmetric key'];
  if (typeof jwk.d !== 'string') return ['must be a private JWK (it has no "d")'];
  if (jwk.kty !== want.kty) return [`${alg} needs a ${want.kty} key, not ${jwk.kty}`];
  if (want.crv && jwk.crv !== want.crv)
    return [`${alg} needs curve ${want.crv}, not ${String(jwk.crv)}`];
  if (jwk.alg !== undefined && jwk.alg !== alg)
    return [`the JWK says alg ${JSON.stringify(jwk.alg)}, the option ${JSON.stringify(alg)}`];
  return [];
}

/** `max-age` (or `s-maxage`, whichever is larger) of a Cache-Control value, in seconds. */
export function longestMaxAge(cacheControl: string): number | undefined {
  let longest: number | undefined;
  for (const m of cacheControl.matchAll(/(?:^|[\s,])(?:s-)?max-?age\s*=\s*"?(\d+)"?/gi)) {
    const n = Number(m[1]);
    if (longest === undefined || n > longest) longest = n;
  }
  return longest;
}

/** The `signedMetadata` option's shape; the cross-field rules are in {@link signedMetadataProblems}. */
export const signedMetadataSchema = z.strictObject({
  key: z.custom<MetadataSigningKey>((v) => typeof v === 'object' && v !== null, {
    message: 'must be a private JWK, a CryptoKey or a KeyObject',
  }),
  alg: z.custom<MetadataSigningAlgorithm>(
    (v) => (METADATA_SIGNING_ALGORITHMS as readonly unknown[]).includes(v),
    {
      message: `must be an asymmetric algorithm: ${METADATA_SIGNING_ALGORITHMS.join(', ')} ("none" and HS* are refused)`,
    },
  ),
  issuer: z.string().min(1),
  kid: z.string().min(1).optional(),
  lifetime: z.number().int().min(60).max(31_536_000).optional(),
  jwksPath: z
    .string()
    .regex(
      /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/,
      'must be an absolute path (one leading slash), without query or fragment',
    )
    .optional(),
});

/**
 * Problems of a (shape-valid) `signedMetadata` that involve other options, with paths
 * relative to the configuration.
 */
export function signedMetadataProblems(
  s: SignedMetadataOptions,
  others: {
    allowHttp: 'loopback' | undefined;
    jwksUri: string | undefined;
    cacheControl: string;
    metadataPaths: readonly string[];
  },
): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const at = (key: string, message: string): void => {
    out.push({ path: ['signedMetadata', key], message });
  };
  for (const message of keyProblems(s.key, s.alg)) at('key', message);
  for (const p of checkUrl(s.issuer, {
    allowHttp: others.allowHttp,
    fragment: 'refuse',
    query: 'refuse',
  }).problems)
    at('issuer', `issuer ${p.message}`);
  if (s.lifetime !== undefined) {
    const maxAge = longestMaxAge(others.cacheControl) ?? 0;
    if (s.lifetime < 2 * maxAge)
      at(
        'lifetime',
        `must be at least twice the metadata max-age (${maxAge} s): the document is re-signed at half its lifetime, and a cached copy must never outlive its exp`,
      );
  }
  if (s.jwksPath !== undefined) {
    if (others.jwksUri !== undefined)
      at(
        'jwksPath',
        'set either jwksUri or signedMetadata.jwksPath (which sets jwks_uri), not both',
      );
    if (others.metadataPaths.includes(s.jwksPath))
      at('jwksPath', 'is a metadata path; choose another');
    const k = keyKind(s.key);
    if (k.kind === 'crypto-key' && !k.key.extractable)
      at('jwksPath', 'needs an extractable CryptoKey (its public half is published), or a JWK');
  }
  return out;
}
