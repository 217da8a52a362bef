import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
} from 'jose';
import { sameUrl } from '@prmkit/core/http';
import { DEFAULT_JWT_ALGORITHMS } from '@prmkit/core/verify';
import type { DiscoveryStep } from './discover-types.js';
import { ClientError, type ClientErrorCode } from './errors.js';
import { asObject, requestJson, type HttpPolicy } from './http.js';
import type { ProtectedResourceMetadata } from './metadata-types.js';
import type {
  MetadataSigner,
  SignedMetadataPolicy,
  TrustedSignerKeys,
  VerifiedMetadata,
} from './signed-metadata-types.js';
import { requireSafeUrl } from './url-policy.js';

/** JWT claims that describe the JWT, not the resource; never merged into the document. */
const JWT_CLAIMS = new Set(['iss', 'iat', 'exp', 'nbf', 'jti', 'sub', 'aud']);
/** Largest `signed_metadata` accepted, characters. */
const MAX_JWS_LENGTH = 64 * 1024;

function refuse(code: ClientErrorCode, message: string, cause?: unknown): never {
  throw new ClientError(code, message, cause === undefined ? {} : { cause });
}

async function keySetFor(
  issuer: string,
  keys: TrustedSignerKeys,
  http: HttpPolicy,
): Promise<ReturnType<typeof createLocalJWKSet>> {
  let jwks: unknown = keys;
  if (typeof keys === 'string' || keys instanceof URL) {
    const url = requireSafeUrl(keys, `trusted JWKS of ${issuer}`, {
      ...http,
      source: 'configured',
    });
    let res;
    try {
      res = await requestJson(url, {}, http);
    } catch (cause) {
      refuse(
        'signed_metadata_keys_unavailable',
        `the trusted JWKS of ${issuer} at ${url.href} could not be fetched`,
        cause,
      );
    }
    if (res.status !== 200)
      refuse(
        'signed_metadata_keys_unavailable',
        `the trusted JWKS of ${issuer} at ${url.href} answered ${res.status}`,
      );
    jwks = res.json;
  }
  const set = asObject(jwks);
  if (!set || !Array.isArray(set['keys']))
    refuse(
      'signed_metadata_keys_unavailable',
      `the trusted keys of ${issuer} are not a JWKS ({ keys: [...] })`,
    );
  try {
    return createLocalJWKSet(set as unknown as JSONWebKeySet);
  } catch (cause) {
    refuse(
      'signed_metadata_keys_unavailable',
      `the trusted keys of ${issuer} are not a valid JWKS`,
      cause,
    );
  }
}

/**
 * Verifies a document's `signed_metadata` against keys pinned per issuer and returns the
 * document with the signed values over the plain ones. Pure apart from fetching a trusted
 * JWKS given as a URL. Throws `ClientError`:
 * `signed_metadata_invalid` (not a JWT, no `iss`, a nested `signed_metadata`),
 * `signed_metadata_alg_refused` (`none`, HS*, anything off the list),
 * `signed_metadata_untrusted_issuer` (no keys pinned for `iss`),
 * `signed_metadata_signature_invalid` (no pinned key verifies it),
 * `signed_metadata_expired`, `signed_metadata_keys_unavailable`, and `resource_mismatch`
 * (a signed `resource` other than `expectedResource`).
 *
 * @example
 * ```ts
 * import { verifySignedMetadata } from '@prmkit/client';
 * const { document, signer } = await verifySignedMetadata(plain, {
 *   expectedResource: 'https://mcp.example.com/mcp',
 *   trustedSigners: { 'https://example.com': 'https://example.com/prm-keys.json' },
 * });
 * signer.overridden; // members the signature changed, e.g. ['authorization_servers']
 * ```
 * @see RFC 9728 §2.2, §3.3; RFC 8725 §3.1
 */
export async function verifySignedMetadata(
  document: Readonly<Record<string, unknown>>,
  options: Pick<SignedMetadataPolicy, 'trustedSigners' | 'algorithms' | 'clockTolerance'> & {
    readonly expectedResource: string;
    readonly http?: HttpPolicy;
    /** Default: now. */
    readonly currentDate?: Date;
  },
): Promise<VerifiedMetadata> {
  const jws = document['signed_metadata'];
  if (typeof jws !== 'string' || jws.length > MAX_JWS_LENGTH || jws.split('.').length !== 3)
    refuse('signed_metadata_invalid', 'signed_metadata is not a compact JWS (RFC 9728 §2.2)');
  let alg: unknown;
  let kid: unknown;
  let claims: Record<string, unknown>;
  try {
    ({ alg, kid } = decodeProtectedHeader(jws));
    claims = decodeJwt(jws);
  } catch (cause) {
    refuse('signed_metadata_invalid', 'signed_metadata is not a decodable JWT', cause);
  }
  const algorithms = options.algorithms ?? DEFAULT_JWT_ALGORITHMS;
  if (
    typeof alg !== 'string' ||
    alg.toLowerCase() === 'none' ||
    !algorithms.includes(alg) ||
    alg.startsWith('HS')
  )
    refuse(
      'signed_metadata_alg_refused',
      `signed_metadata alg ${JSON.stringify(alg)} is refused: only ${algorithms.filter((a) => !a.startsWith('HS')).join(', ')} (RFC 8725 §3.1)`,
    );
  const issuer = claims['iss'];
  if (typeof issuer !== 'string' || issuer === '')
    refuse('signed_metadata_invalid', 'signed_metadata has no "iss" (RFC 9728 §2.2 requires it)');
  const pinned = Object.hasOwn(options.trustedSigners, issuer)
    ? options.trustedSigners[issuer]
    : undefined;
  if (pinned === undefined)
    refuse(
      'signed_metadata_untrusted_issuer',
      `signed_metadata is signed by ${issuer}, an issuer with no trusted keys configured (RFC 9728 §3.3)`,
    );
  const keySet = await keySetFor(issuer, pinned, options.http ?? {});
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jws, keySet, {
      issuer,
      algorithms: algorithms.filter((a) => !a.startsWith('HS')),
      clockTolerance: options.clockTolerance ?? 30,
      ...(options.currentDate ? { currentDate: options.currentDate } : {}),
    }));
  } catch (cause) {
    if (cause instanceof joseErrors.JWTExpired)
      refuse('signed_metadata_expired', `signed_metadata by ${issuer} has expired`, cause);
    if (
      cause instanceof joseErrors.JWSSignatureVerificationFailed ||
      cause instanceof joseErrors.JWKSNoMatchingKey ||
      cause instanceof joseErrors.JWKSMultipleMatchingKeys
    )
      refuse(
        'signed_metadata_signature_invalid',
        `signed_metadata does not verify with any trusted key of ${issuer} (RFC 9728 §3.3)`,
        cause,
      );
    refuse(
      'signed_metadata_invalid',
      `signed_metadata by ${issuer} is invalid: ${(cause as Error).message}`,
      cause,
    );
  }
  if (Object.hasOwn(payload, 'signed_metadata'))
    refuse(
      'signed_metadata_invalid',
      'signed_metadata contains signed_metadata itself; refused (RFC 9728 §2.2)',
    );
  const signedResource = payload['resource'];
  if (
    signedResource !== undefined &&
    (typeof signedResource !== 'string' || !sameUrl(signedResource, options.expectedResource))
  )
    refuse(
      'resource_mismatch',
      `signed_metadata declares resource ${JSON.stringify(signedResource)} but it was fetched for "${options.expectedResource}" (RFC 9728 §3.3)`,
    );
  const merged: Record<string, unknown> = { ...document };
  const overridden: string[] = [];
  for (const [member, value] of Object.entries(payload)) {
    if (JWT_CLAIMS.has(member)) continue;
    if (JSON.stringify(value) !== JSON.stringify(document[member])) overridden.push(member);
    merged[member] = value;
  }
  return {
    document: merged as ProtectedResourceMetadata,
    signer: { issuer, alg, kid: typeof kid === 'string' ? kid : undefined, overridden },
  };
}

/** Whether `policy` requires `resource`'s metadata to be signed. */
function required(policy: SignedMetadataPolicy, resource: string): boolean {
  const r = policy.requireSignedMetadata;
  return r === 'always' || (r !== undefined && r.some((x) => sameUrl(x, resource)));
}

/**
 * Discovery's hook: applies `policy` to a fetched (and `resource`-checked) document, and
 * says on the last step who signed it, or why it was refused.
 */
export async function applySignedMetadata(
  document: Record<string, unknown>,
  expectedResource: string,
  policy: SignedMetadataPolicy | undefined,
  http: HttpPolicy,
  steps: DiscoveryStep[],
): Promise<{ document: ProtectedResourceMetadata; signer: MetadataSigner | undefined }> {
  const note = (outcome: DiscoveryStep['outcome'], detail: string): void => {
    const last = steps.pop();
    if (last) steps.push({ ...last, outcome, detail });
  };
  const plain = document as ProtectedResourceMetadata;
  if (document['signed_metadata'] === undefined) {
    if (policy && required(policy, expectedResource)) {
      note('rejected', 'signed_metadata_missing');
      refuse(
        'signed_metadata_missing',
        `the metadata of ${expectedResource} is not signed, and requireSignedMetadata requires it (RFC 9728 §2.2)`,
      );
    }
    return { document: plain, signer: undefined };
  }
  if (!policy) {
    // RFC 9728 §2.2: a consumer MAY ignore signed metadata; without trusted keys it must.
    note('ok', 'signed_metadata present but not checked (no trusted signers configured)');
    return { document: plain, signer: undefined };
  }
  try {
    const verified = await verifySignedMetadata(document, { ...policy, expectedResource, http });
    const changed = verified.signer.overridden.filter((m) => m !== 'resource');
    note(
      'ok',
      `signed by ${verified.signer.issuer} (${verified.signer.alg}${verified.signer.kid ? `, kid ${verified.signer.kid}` : ''})${changed.length > 0 ? `; signed values override ${changed.join(', ')}` : ''}`,
    );
    return verified;
  } catch (error) {
    if (error instanceof ClientError) note('rejected', error.code);
    throw error;
  }
}
