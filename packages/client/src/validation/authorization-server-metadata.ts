import type { AuthorizationServerMetadata } from '../metadata-types.js';
import { urlPolicyProblem } from '../url-policy.js';
import type { UrlPolicy } from '../url-policy.js';
import type { MetadataProblem } from './metadata-problem.js';
import { notAnObjectProblem, throwFirstProblem } from './metadata-problem.js';

/**
 * What to do when the authorization server does not publish
 * `code_challenge_methods_supported`: `'require-advertised'` (default) refuses,
 * `'assume-s256'` proceeds with S256 anyway (for known providers that omit the list).
 */
export type PkcePolicy = 'require-advertised' | 'assume-s256';

/** Options of {@link validateAuthorizationServerMetadata} and {@link authorizationServerMetadataProblems}. */
export interface AuthorizationServerMetadataExpectations extends UrlPolicy {
  /** The issuer identifier the metadata was fetched for (an entry of `authorization_servers`). */
  readonly expectedIssuer: string;
  /**
   * PKCE S256 support (see {@link PkcePolicy}). Default `'require-advertised'`.
   * `'checked-by-authorization-request'` leaves it to `createAuthorizationRequest`, for
   * callers (like `discover`) whose result may serve a grant without PKCE.
   */
  readonly pkce?: PkcePolicy | 'checked-by-authorization-request' | undefined;
}

/** The endpoint members a client sends requests (and credentials) to. */
const ENDPOINT_MEMBERS = [
  'authorization_endpoint',
  'token_endpoint',
  'registration_endpoint',
] as const;

/**
 * Every reason to refuse an authorization server metadata document, in order (empty when
 * it may be used): not a JSON object; `issuer` not identical to `expectedIssuer`
 * (`issuer_mismatch`); an endpoint the client may not send requests to
 * (`authorization_server_metadata_invalid`); no PKCE S256 (`pkce_unsupported`, see
 * {@link AuthorizationServerMetadataExpectations.pkce}). Makes no request.
 *
 * @example
 * ```ts
 * import { authorizationServerMetadataProblems } from '@prmkit/client';
 * const problems = authorizationServerMetadataProblems(
 *   { issuer: 'https://auth.example.com', code_challenge_methods_supported: ['plain'] },
 *   { expectedIssuer: 'https://auth.example.com' },
 * );
 * problems.map((p) => p.code); // ['pkce_unsupported']
 * ```
 * @see RFC 8414 §2, §3.3; RFC 7636 §4.2; MCP 2025-11-25 authorization (PKCE)
 */
export function authorizationServerMetadataProblems(
  document: unknown,
  options: AuthorizationServerMetadataExpectations,
): MetadataProblem[] {
  const notAnObject = notAnObjectProblem(document, 'authorization_server_metadata_invalid');
  if (notAnObject) return [notAnObject];
  const doc = document as Record<string, unknown>;
  const problems: MetadataProblem[] = [];
  if (doc['issuer'] !== options.expectedIssuer) {
    problems.push({
      code: 'issuer_mismatch',
      verdict: 'refused',
      member: 'issuer',
      message: `authorization server metadata declares issuer ${JSON.stringify(doc['issuer'])}, expected exactly ${JSON.stringify(options.expectedIssuer)}`,
      see: 'RFC 8414 §3.3',
    });
  }
  for (const member of ENDPOINT_MEMBERS) {
    const value = doc[member];
    if (value === undefined) continue;
    const problem = urlPolicyProblem(value, member, { ...options, source: 'handed-over' });
    if (problem) {
      problems.push({
        code: 'authorization_server_metadata_invalid',
        verdict: 'refused',
        member,
        message: problem.message,
        see: 'RFC 8414 §2; OAuth 2.1 §1.5',
      });
    }
  }
  const pkce = options.pkce ?? 'require-advertised';
  if (pkce !== 'checked-by-authorization-request') {
    const problem = pkceProblem(doc, pkce);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * Accepts an authorization server metadata document, or throws `ClientError` with the code
 * of its first problem (see {@link authorizationServerMetadataProblems}): `issuer_mismatch`,
 * `authorization_server_metadata_invalid` or `pkce_unsupported`. The I/O-free half of
 * discovery: fetch the document however you like, then let this decide.
 *
 * @example
 * ```ts
 * import { authorizationServerMetadataUrls, validateAuthorizationServerMetadata } from '@prmkit/client';
 * const issuer = 'https://auth.example.com';
 * const [url] = authorizationServerMetadataUrls(new URL(issuer));
 * const res = await fetch(url!);
 * const metadata = validateAuthorizationServerMetadata(await res.json(), { expectedIssuer: issuer });
 * metadata.token_endpoint; // 'https://auth.example.com/token'
 * ```
 * @see RFC 8414 §3.3 (the `issuer` value must be identical to the issuer identifier used)
 */
export function validateAuthorizationServerMetadata(
  document: unknown,
  options: AuthorizationServerMetadataExpectations,
): AuthorizationServerMetadata {
  throwFirstProblem(authorizationServerMetadataProblems(document, options));
  return document as AuthorizationServerMetadata;
}

/** The PKCE S256 rule: `code_challenge_methods_supported` lists `S256` (or, if absent, `policy` assumes it). */
export function pkceProblem(
  metadata: Readonly<Record<string, unknown>>,
  policy: PkcePolicy,
): MetadataProblem | undefined {
  const member = 'code_challenge_methods_supported';
  const see = 'RFC 7636 §4.2; OAuth 2.1 §4.1.1; MCP 2025-11-25 authorization (PKCE)';
  const methods = metadata[member];
  const issuer = String(metadata['issuer']);
  if (methods === undefined) {
    if (policy === 'assume-s256') return undefined;
    return {
      code: 'pkce_unsupported',
      verdict: 'refused',
      member,
      message: `authorization server ${issuer} does not advertise code_challenge_methods_supported; refusing (set pkce: 'assume-s256' only for a server known to support S256)`,
      see,
    };
  }
  if (!Array.isArray(methods) || !methods.includes('S256')) {
    return {
      code: 'pkce_unsupported',
      verdict: 'refused',
      member,
      message: `authorization server ${issuer} does not support PKCE S256 (code_challenge_methods_supported ${JSON.stringify(methods)})`,
      see,
    };
  }
  return undefined;
}
