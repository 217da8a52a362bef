import { ClientError, verifySignedMetadata } from '@prmkit/client';
import type { FetchLike, HttpPolicy, TrustedSignerKeys } from '@prmkit/client';
import type { Check } from '../types.js';
import { fail, pass, quote, warn } from './check.js';

const SPEC = 'RFC 9728 §2.2, §3.3';
/** JWT claims that describe the JWT, not the resource. */
const JWT_CLAIMS = new Set(['iss', 'iat', 'exp', 'nbf', 'jti', 'sub', 'aud']);

/** Members whose signed value differs from the plain one (or only the JWT has). */
function differing(document: Record<string, unknown>, payload: Record<string, unknown>): string[] {
  return Object.keys(payload).filter(
    (m) => !JWT_CLAIMS.has(m) && JSON.stringify(payload[m]) !== JSON.stringify(document[m]),
  );
}

function differsCheck(members: readonly string[], verified: boolean): Check | undefined {
  if (members.length === 0) return undefined;
  return warn(
    'resource_metadata.signed_differs',
    `signed and plain values differ for ${members.join(', ')}: clients that ${verified ? 'verify' : 'could verify'} the signature use the signed ones`,
    'RFC 9728 §2.2',
  );
}

/** The JWT payload, unverified (for the report only), or `undefined` when not a JWT. */
function unverifiedPayload(jws: unknown): Record<string, unknown> | undefined {
  const part = typeof jws === 'string' ? jws.split('.')[1] : undefined;
  if (part === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The checks of a document's `signed_metadata`: PASS/FAIL for the signature against
 * `trust` (a JWKS pinned by the user), WARN when it is signed but no trust was given, WARN
 * for members whose signed and plain values differ, WARN when trust was given but the
 * document is unsigned. No check when neither.
 *
 * @see RFC 9728 §2.2, §3.3
 */
export async function checkSignedMetadata(input: {
  readonly document: Record<string, unknown>;
  readonly expectedResource: string;
  readonly trust: TrustedSignerKeys | undefined;
  readonly policy: HttpPolicy;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
}): Promise<Check[]> {
  const { document, trust } = input;
  const jws = document['signed_metadata'];
  if (jws === undefined) {
    return trust === undefined
      ? []
      : [
          warn(
            'resource_metadata.signature',
            'the metadata has no signed_metadata, but --trust-jwks was given',
            SPEC,
          ),
        ];
  }
  const payload = unverifiedPayload(jws);
  if (trust === undefined) {
    const iss = payload?.['iss'];
    const checks = [
      warn(
        'resource_metadata.signature',
        `signed_metadata present${typeof iss === 'string' ? ` (iss ${quote(iss)})` : ''} but not verified: pass --trust-jwks <file or URL> with the signer's keys, obtained out of band (never the document's own jwks_uri)`,
        SPEC,
      ),
    ];
    const differs = payload && differsCheck(differing(document, payload), false);
    return differs ? [...checks, differs] : checks;
  }
  const iss = payload?.['iss'];
  try {
    const { signer } = await verifySignedMetadata(document, {
      // The user pinned these keys for whoever the JWT names; the report says who.
      trustedSigners: typeof iss === 'string' ? { [iss]: trust } : {},
      expectedResource: input.expectedResource,
      http: { ...input.policy, fetch: input.fetch, timeoutMs: input.timeoutMs },
    });
    const checks: Check[] = [
      pass(
        'resource_metadata.signature',
        `signed_metadata verifies: signed by ${signer.issuer} (${signer.alg}${signer.kid ? `, kid ${signer.kid}` : ''})`,
        SPEC,
      ),
    ];
    const differs = differsCheck(signer.overridden, true);
    return differs ? [...checks, differs] : checks;
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    const checks = [fail('resource_metadata.signature', `${error.message} (${error.code})`, SPEC)];
    const differs = payload && differsCheck(differing(document, payload), false);
    return differs ? [...checks, differs] : checks;
  }
}
