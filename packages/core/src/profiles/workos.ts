import { ProfileIssues, type ProfileFragment, requireOptions } from './profile-fragment.js';

/** Options of {@link workos}. */
export interface WorkosProfileOptions {
  /** The AuthKit domain (`example.authkit.app`) or its custom domain. */
  readonly domain: string;
}

/**
 * WorkOS AuthKit (Connect). With the resource URL registered as an MCP resource indicator,
 * AuthKit writes it into `aud` exactly, so no alias is needed; tokens carry `client_id`.
 * Keys come from `https://<domain>/oauth2/jwks`.
 *
 * @example
 * ```ts
 * import { createResourceServer, profiles } from '@prmkit/core';
 * const server = createResourceServer({
 *   resource: 'https://mcp.example.com/mcp',
 *   ...profiles.workos({ domain: 'example.authkit.app' }),
 * });
 * ```
 * @see https://workos.com/docs/authkit/connect/token-claims
 * @see RFC 8707 §2
 */
export function workos(options: WorkosProfileOptions): ProfileFragment {
  requireOptions('workos', options);
  const issues = new ProfileIssues('workos');
  issues.host('domain', options.domain);
  issues.throwIfAny();
  const issuer = `https://${options.domain}`;
  return {
    authorizationServers: [issuer],
    jwt: { jwksUri: `${issuer}/oauth2/jwks`, acceptedTypes: ['at+jwt', 'JWT'] },
    profile: { name: 'workos' },
  };
}
