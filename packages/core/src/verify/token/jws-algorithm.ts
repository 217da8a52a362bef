/** The key family a JWS algorithm verifies with. */
export type JwsKeyFamily = 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA' | 'Ed25519' | 'HMAC';

/** What a JWS `alg` means for verification: one table for every signature backend. */
export interface JwsAlgorithm {
  readonly alg: string;
  /** Web Crypto `algorithm.name` of the verification key. */
  readonly family: JwsKeyFamily;
  /** Digest (`SHA-256`, ...); undefined for Ed25519, whose digest is fixed. */
  readonly hash: 'SHA-256' | 'SHA-384' | 'SHA-512' | undefined;
  /** ECDSA curve of the key. */
  readonly namedCurve?: 'P-256' | 'P-384' | 'P-521';
  /** RSA-PSS salt length in bytes: the digest length (RFC 7518 §3.5). */
  readonly saltLength?: number;
}

const entries: readonly JwsAlgorithm[] = [
  { alg: 'RS256', family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  { alg: 'RS384', family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  { alg: 'RS512', family: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  { alg: 'PS256', family: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 },
  { alg: 'PS384', family: 'RSA-PSS', hash: 'SHA-384', saltLength: 48 },
  { alg: 'PS512', family: 'RSA-PSS', hash: 'SHA-512', saltLength: 64 },
  { alg: 'ES256', family: 'ECDSA', hash: 'SHA-256', namedCurve: 'P-256' },
  { alg: 'ES384', family: 'ECDSA', hash: 'SHA-384', namedCurve: 'P-384' },
  { alg: 'ES512', family: 'ECDSA', hash: 'SHA-512', namedCurve: 'P-521' },
  { alg: 'EdDSA', family: 'Ed25519', hash: undefined },
  { alg: 'Ed25519', family: 'Ed25519', hash: undefined },
  { alg: 'HS256', family: 'HMAC', hash: 'SHA-256' },
  { alg: 'HS384', family: 'HMAC', hash: 'SHA-384' },
  { alg: 'HS512', family: 'HMAC', hash: 'SHA-512' },
];
// A Map, so `__proto__`, `constructor` and friends are never algorithms.
const table: ReadonlyMap<string, JwsAlgorithm> = new Map(entries.map((e) => [e.alg, e]));

/** The verification parameters of `alg`, or undefined for an algorithm prmkit never verifies. */
export function jwsAlgorithm(alg: string): JwsAlgorithm | undefined {
  return table.get(alg);
}

/** Smallest RSA modulus accepted, bits (RFC 7518 §3.3, §3.5). */
export const MIN_RSA_MODULUS_BITS = 2048;

/**
 * Why `key` cannot verify `alg`, or undefined when it can: the one rule every backend
 * relies on (the key's algorithm, digest and curve match `alg`, it is allowed to verify,
 * it is public (secret for HMAC), and an RSA modulus has at least 2048 bits).
 */
export function keyProblem(entry: JwsAlgorithm, key: CryptoKey): string | undefined {
  const algorithm = key.algorithm as KeyAlgorithm & {
    hash?: { name?: string };
    namedCurve?: string;
    modulusLength?: number;
  };
  if (algorithm.name !== entry.family) return `the key is not an ${entry.family} key`;
  if (key.type !== (entry.family === 'HMAC' ? 'secret' : 'public')) return 'wrong key type';
  // RSA and HMAC keys are bound to a digest; ECDSA and Ed25519 keys are not.
  const boundToHash = entry.family !== 'ECDSA' && entry.family !== 'Ed25519';
  if (boundToHash && algorithm.hash?.name !== entry.hash) return `the key is not for ${entry.hash}`;
  if (entry.namedCurve !== undefined && algorithm.namedCurve !== entry.namedCurve)
    return `the key is not on ${entry.namedCurve}`;
  if (
    (entry.family === 'RSASSA-PKCS1-v1_5' || entry.family === 'RSA-PSS') &&
    !((algorithm.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS)
  )
    return `RSA keys need at least ${MIN_RSA_MODULUS_BITS} bits`;
  if (!key.usages.includes('verify')) return 'the key may not verify';
  return undefined;
}
