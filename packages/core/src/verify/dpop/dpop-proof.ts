import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';
import { TokenError } from '../../model/errors.js';
import { LruMap } from '../../util/lru-map.js';
import { decodeBase64url, isCanonicalBase64url } from '../../util/base64url.js';
import { isJsonObject } from '../token/http.js';
import { jwsAlgorithm, type JwsAlgorithm } from '../token/jws-algorithm.js';
import { checkSignature } from '../token/jws-signature.js';
import { hashToken } from '../../util/token-hash.js';
import { type SignatureBackend, webCryptoBackend } from '../token/signature-backend.js';

/** What a proof must match: the request it came with, and the access token it goes with. */
export interface DpopProofExpectations {
  /** The request method; `htm` must equal it. */
  readonly method: string;
  /** The request URI without query and fragment, from the configured resource's origin. */
  readonly url: string;
  /** The access token presented with the proof; `ath` must be its SHA-256. */
  readonly accessToken: string;
  readonly algorithms: readonly string[];
  /** Seconds into the past `iat` may be. */
  readonly maxAge: number;
  /** Seconds into the future `iat` may be. */
  readonly futureTolerance: number;
  /** Current time in seconds (tests). */
  readonly now?: () => number;
  /** Checks the signature. Default Web Crypto; both backends decide alike. */
  readonly signatureBackend?: SignatureBackend;
}

/** A proof that passed every check of RFC 9449 §4.3 that needs no state. */
export interface VerifiedDpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof key: the token's `cnf.jkt` must equal it. */
  readonly jkt: string;
  readonly jti: string;
  readonly iat: number;
  /** The server nonce the proof carries, if any. */
  readonly nonce: string | undefined;
}

/**
 * Longest DPoP proof accepted, characters (an RSA-4096 key and a long URL fit easily);
 * longer ones are refused before any decoding.
 *
 * @example
 * ```ts
 * if (proof.length > MAX_DPOP_PROOF_LENGTH) refuse();
 * ```
 * @see RFC 9449 §4.3
 */
export const MAX_DPOP_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 512;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const utf8 = new TextDecoder('utf-8', { fatal: true });

function invalid(message: string, cause?: unknown): TokenError {
  return new TokenError('dpop_proof_invalid', `DPoP proof ${message}`, { cause });
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  if (!isCanonicalBase64url(segment)) throw invalid(`${what} is not canonical base64url`);
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(decodeBase64url(segment)));
  } catch (cause) {
    throw invalid(`${what} is not JSON`, cause);
  }
  if (!isJsonObject(value)) throw invalid(`${what} is not a JSON object`);
  return value;
}

/** The public members RFC 7638 names per key type: the only ones imported. */
function publicJwk(entry: JwsAlgorithm, jwk: Record<string, unknown>): JWK {
  if (PRIVATE_MEMBERS.some((m) => jwk[m] !== undefined)) {
    throw invalid('"jwk" contains private key material');
  }
  const str = (name: string): string => {
    const v = jwk[name];
    if (typeof v !== 'string' || v.length === 0 || v.length > 2048) {
      throw invalid(`"jwk" member "${name}" is missing or not a string`);
    }
    return v;
  };
  switch (entry.family) {
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-PSS':
      if (jwk.kty !== 'RSA') throw invalid(`"jwk" is not an RSA key (${entry.alg})`);
      return { kty: 'RSA', n: str('n'), e: str('e') };
    case 'ECDSA':
      if (jwk.kty !== 'EC' || jwk.crv !== entry.namedCurve) {
        throw invalid(`"jwk" is not an EC ${entry.namedCurve} key (${entry.alg})`);
      }
      return { kty: 'EC', crv: str('crv'), x: str('x'), y: str('y') };
    case 'Ed25519':
      if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') {
        throw invalid(`"jwk" is not an Ed25519 key (${entry.alg})`);
      }
      return { kty: 'OKP', crv: 'Ed25519', x: str('x') };
    default:
      throw invalid(`algorithm ${entry.alg} is not asymmetric`);
  }
}

function importParams(entry: JwsAlgorithm): RsaHashedImportParams | EcKeyImportParams | Algorithm {
  switch (entry.family) {
    case 'ECDSA':
      return { name: 'ECDSA', namedCurve: entry.namedCurve as string };
    case 'Ed25519':
      return { name: 'Ed25519' };
    default:
      return { name: entry.family, hash: entry.hash as string };
  }
}

// Clients keep one key for many requests: thumbprint and import each once (bounded).
const known = new LruMap<Promise<{ jkt: string; key: CryptoKey }>>(1000);

function thumbprintAndKey(entry: JwsAlgorithm, jwk: JWK): Promise<{ jkt: string; key: CryptoKey }> {
  // The members publicJwk kept, in a fixed order: equal strings mean the same key.
  const id = JSON.stringify([entry.alg, jwk.kty, jwk.crv, jwk.x, jwk.y, jwk.n, jwk.e]);
  let found = known.get(id);
  if (found === undefined) {
    found = Promise.all([
      calculateJwkThumbprint(jwk, 'sha256'),
      crypto.subtle.importKey('jwk', jwk as JsonWebKey, importParams(entry), false, ['verify']),
    ]).then(([jkt, key]) => ({ jkt, key }));
    found.catch(() => known.delete(id));
    known.set(id, found);
  }
  return found;
}

function expectedHtu(value: unknown, url: string): void {
  if (typeof value !== 'string') throw invalid('has no "htu" claim');
  let htu: URL;
  try {
    htu = new URL(value);
  } catch (cause) {
    throw invalid('"htu" is not a URL', cause);
  }
  htu.search = '';
  htu.hash = '';
  if (htu.href !== url) throw invalid('"htu" does not match the request URI');
}

/**
 * Checks a DPoP proof JWT (RFC 9449 §4.3) against the request and access token it came
 * with: compact JWS; `typ` `dpop+jwt`; `alg` in the allow-list (asymmetric); a public
 * `jwk` of that algorithm's key type; the signature by that key; `jti`; `htm` equal to
 * the method; `htu` equal to the request URI (query and fragment ignored); `iat` within
 * `maxAge` into the past and `futureTolerance` into the future; `ath` the SHA-256 of the
 * access token. Replay (`jti`), nonce and the token binding (`cnf.jkt`) are checked by the
 * caller. Throws `TokenError('dpop_proof_invalid')` with the reason.
 *
 * @example
 * ```ts
 * const proof = await verifyDpopProof(headers.get('dpop')!, {
 *   method: 'GET',
 *   url: 'https://api.example.com/mcp',
 *   accessToken,
 *   algorithms: DEFAULT_DPOP_ALGORITHMS,
 *   maxAge: 300,
 *   futureTolerance: 30,
 * });
 * proof.jkt; // compare with the token's cnf.jkt
 * ```
 * @see RFC 9449 §4.2 (proof syntax), §4.3 (checking a proof), §7.1 (`ath`), RFC 7638
 */
export async function verifyDpopProof(
  proof: string,
  expect: DpopProofExpectations,
): Promise<VerifiedDpopProof> {
  if (proof.length > MAX_DPOP_PROOF_LENGTH) {
    throw invalid(`is longer than ${MAX_DPOP_PROOF_LENGTH} characters`);
  }
  const parts = proof.split('.');
  if (parts.length !== 3) throw invalid('is not a compact JWS (three dot-separated parts)');
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  const header = decodeJson(encodedHeader, 'header');
  if (typeof header.typ !== 'string' || header.typ.toLowerCase() !== 'dpop+jwt') {
    throw invalid('"typ" is not "dpop+jwt"');
  }
  if (header.b64 !== undefined || header.crit !== undefined) {
    throw invalid('uses JWS extensions (b64/crit)');
  }
  const alg = header.alg;
  const entry = typeof alg === 'string' ? jwsAlgorithm(alg) : undefined;
  if (typeof alg !== 'string' || !expect.algorithms.includes(alg) || entry === undefined) {
    throw invalid(
      `algorithm ${typeof alg === 'string' ? JSON.stringify(alg) : '(missing)'} is not allowed`,
    );
  }
  if (!isJsonObject(header.jwk)) throw invalid('has no "jwk" header');
  const jwk = publicJwk(entry, header.jwk);
  let jkt: string;
  let key: CryptoKey;
  try {
    ({ jkt, key } = await thumbprintAndKey(entry, jwk));
  } catch (cause) {
    throw invalid('"jwk" is not a valid key', cause);
  }
  if (!isCanonicalBase64url(encodedSignature))
    throw invalid('signature is not canonical base64url');
  const claims = decodeJson(encodedPayload, 'payload');
  try {
    await checkSignature(
      expect.signatureBackend ?? webCryptoBackend,
      entry,
      key,
      `${encodedHeader}.${encodedPayload}`,
      decodeBase64url(encodedSignature),
    );
  } catch (cause) {
    throw invalid('signature is invalid', cause);
  }

  const { jti, htm, iat, ath, nonce } = claims;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    throw invalid('has no usable "jti" claim');
  }
  if (htm !== expect.method) throw invalid('"htm" does not match the request method');
  expectedHtu(claims.htu, expect.url);
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalid('has no numeric "iat" claim');
  const now = expect.now?.() ?? Math.floor(Date.now() / 1000);
  if (iat < now - expect.maxAge) throw invalid('is too old ("iat")');
  if (iat > now + expect.futureTolerance) throw invalid('was issued in the future ("iat")');
  if (typeof ath !== 'string') throw invalid('has no "ath" claim (the access token hash)');
  if (ath !== (await hashToken(expect.accessToken))) {
    throw invalid('"ath" does not match the access token');
  }
  if (nonce !== undefined && typeof nonce !== 'string') throw invalid('"nonce" is not a string');
  return { jkt, jti, iat, nonce };
}
