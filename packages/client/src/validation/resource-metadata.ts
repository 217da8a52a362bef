import { sameUrl } from '@prmkit/core/http';
import type { ProtectedResourceMetadata } from '../metadata-types.js';
import { urlPolicyProblem } from '../url-policy.js';
import type { UrlPolicy } from '../url-policy.js';
import type { MetadataProblem } from './metadata-problem.js';
import { notAnObjectProblem, throwFirstProblem } from './metadata-problem.js';

/** Options of {@link validateResourceMetadata} and {@link resourceMetadataProblems}. */
export interface ResourceMetadataExpectations extends UrlPolicy {
  /**
   * The resource identifier the metadata was derived from: the URL the client requested
   * when it followed a challenge's `resource_metadata` or the path-aware well-known URL,
   * the origin for the root well-known URL (see `protectedResourceMetadataCandidates`).
   */
  readonly expectedResource: string | URL;
}

/**
 * Every reason to refuse a protected resource metadata document, in order (empty when it
 * may be used): not a JSON object; `resource` missing, not a URL, or not identical to
 * `expectedResource` (`resource_mismatch`); `authorization_servers` missing, empty, not an
 * array of strings, or naming a URL the client may not fetch (`insecure_url`,
 * `invalid_url`); `scopes_supported` not an array of strings. Makes no request.
 *
 * @example
 * ```ts
 * import { resourceMetadataProblems } from '@prmkit/client';
 * const problems = resourceMetadataProblems(
 *   { resource: 'https://mcp.example.com/other', authorization_servers: ['https://auth.example.com'] },
 *   { expectedResource: 'https://mcp.example.com/mcp' },
 * );
 * problems[0]?.code; // 'resource_mismatch'
 * ```
 * @see RFC 9728 §2, §3.3; MCP 2025-11-25 authorization (authorization server location)
 */
export function resourceMetadataProblems(
  document: unknown,
  options: ResourceMetadataExpectations,
): MetadataProblem[] {
  const notAnObject = notAnObjectProblem(document, 'resource_metadata_invalid');
  if (notAnObject) return [notAnObject];
  const doc = document as Record<string, unknown>;
  const problems: MetadataProblem[] = [];
  const resourceProblem = resourceMemberProblem(doc['resource'], String(options.expectedResource));
  if (resourceProblem) problems.push(resourceProblem);
  problems.push(...authorizationServersProblems(doc['authorization_servers'], options));
  const scopes = doc['scopes_supported'];
  if (scopes !== undefined && !isStringArray(scopes)) {
    problems.push({
      code: 'resource_metadata_invalid',
      verdict: 'invalid',
      member: 'scopes_supported',
      message: `scopes_supported must be an array of strings, got ${JSON.stringify(scopes)}`,
      see: 'RFC 9728 §2',
    });
  }
  return problems;
}

/**
 * Accepts a protected resource metadata document, or throws `ClientError` with the code of
 * its first problem (see {@link resourceMetadataProblems}): `resource_metadata_invalid`,
 * `resource_mismatch`, `insecure_url` or `invalid_url`. The I/O-free half of discovery:
 * fetch the document however you like, then let this decide.
 *
 * @example
 * ```ts
 * import { validateResourceMetadata } from '@prmkit/client';
 * const res = await fetch('https://mcp.example.com/.well-known/oauth-protected-resource/mcp');
 * const metadata = validateResourceMetadata(await res.json(), {
 *   expectedResource: 'https://mcp.example.com/mcp',
 * });
 * metadata.authorization_servers; // ['https://auth.example.com']
 * ```
 * @see RFC 9728 §3.3 (the `resource` value must be identical to the URL the metadata was derived from)
 */
export function validateResourceMetadata(
  document: unknown,
  options: ResourceMetadataExpectations,
): ProtectedResourceMetadata & { readonly authorization_servers: readonly string[] } {
  throwFirstProblem(resourceMetadataProblems(document, options));
  return document as ProtectedResourceMetadata & { readonly authorization_servers: string[] };
}

function resourceMemberProblem(resource: unknown, expected: string): MetadataProblem | undefined {
  const member = 'resource';
  if (typeof resource !== 'string') {
    return {
      code: 'resource_metadata_invalid',
      verdict: 'invalid',
      member,
      message: 'protected resource metadata has no "resource" (REQUIRED)',
      see: 'RFC 9728 §2',
    };
  }
  if (!URL.canParse(resource)) {
    return {
      code: 'resource_metadata_invalid',
      verdict: 'invalid',
      member,
      message: `resource ${JSON.stringify(resource)} is not an absolute URL`,
      see: 'RFC 9728 §1.2',
    };
  }
  if (!sameUrl(resource, expected)) {
    return {
      code: 'resource_mismatch',
      verdict: 'refused',
      member,
      message: `protected resource metadata declares resource ${JSON.stringify(resource)} but was fetched for ${JSON.stringify(expected)}; discarded`,
      see: 'RFC 9728 §3.3',
    };
  }
  return undefined;
}

function authorizationServersProblems(list: unknown, policy: UrlPolicy): MetadataProblem[] {
  const member = 'authorization_servers';
  const see = 'RFC 9728 §2; MCP 2025-11-25 authorization (authorization server location)';
  if (list === undefined) {
    return [
      {
        code: 'resource_metadata_invalid',
        verdict: 'invalid',
        member,
        message: 'protected resource metadata lists no authorization_servers',
        see,
      },
    ];
  }
  if (!isStringArray(list) || list.length === 0) {
    return [
      {
        code: 'resource_metadata_invalid',
        verdict: 'invalid',
        member,
        message: `authorization_servers must be a non-empty array of issuer URLs, got ${JSON.stringify(list)}`,
        see,
      },
    ];
  }
  const problems: MetadataProblem[] = [];
  for (const [i, issuer] of list.entries()) {
    const problem = urlPolicyProblem(issuer, `authorization_servers[${i}]`, {
      ...policy,
      source: 'handed-over',
    });
    if (problem)
      problems.push({ ...problem, member, see: 'RFC 9728 §7.1, §7.7', verdict: 'refused' });
  }
  return problems;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
