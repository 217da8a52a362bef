import { metadataUrlFor } from '@prmkit/core';

/**
 * Where protected resource metadata may live for `serverUrl`, in the order MCP 2025-11-25
 * says to try them: the path-aware well-known URL, then the root one. Each candidate names
 * the resource identifier its document must declare (RFC 9728 §3.3): the server URL for
 * the path-aware one, the origin for the root one.
 *
 * @example
 * ```ts
 * protectedResourceMetadataCandidates(new URL('https://mcp.example.com/mcp'));
 * // [{ url: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp', resource: 'https://mcp.example.com/mcp' },
 * //  { url: 'https://mcp.example.com/.well-known/oauth-protected-resource', resource: 'https://mcp.example.com' }]
 * ```
 * @see RFC 9728 §3.1, §3.3
 */
export function protectedResourceMetadataCandidates(
  serverUrl: URL,
): { url: string; resource: string }[] {
  const path = serverUrl.pathname === '/' ? '' : serverUrl.pathname;
  const root = {
    url: `${serverUrl.origin}/.well-known/oauth-protected-resource`,
    resource: serverUrl.origin,
  };
  if (path === '' && serverUrl.search === '') return [root];
  const resource = new URL(serverUrl.href);
  resource.hash = '';
  return [{ url: metadataUrlFor(serverUrl), resource: resource.href }, root];
}

/**
 * Authorization server metadata URLs for `issuer`, in order: for an issuer with a path,
 * RFC 8414 path insertion, OpenID Connect path insertion, OpenID Connect path appending;
 * for a root issuer, RFC 8414 then OpenID Connect. Always on the issuer's origin.
 *
 * @example
 * ```ts
 * authorizationServerMetadataUrls(new URL('https://as.example.com/tenant1'));
 * // ['https://as.example.com/.well-known/oauth-authorization-server/tenant1',
 * //  'https://as.example.com/.well-known/openid-configuration/tenant1',
 * //  'https://as.example.com/tenant1/.well-known/openid-configuration']
 * ```
 * @see RFC 8414 §3.1, OpenID Connect Discovery 1.0 §4, MCP 2025-11-25 (authorization server metadata discovery)
 */
export function authorizationServerMetadataUrls(issuer: URL): string[] {
  // RFC 8414 §3.1: a terminating "/" of the issuer path is dropped before insertion.
  const path = issuer.pathname.replace(/\/+$/, '');
  if (path === '') {
    return [
      `${issuer.origin}/.well-known/oauth-authorization-server`,
      `${issuer.origin}/.well-known/openid-configuration`,
    ];
  }
  return [
    `${issuer.origin}/.well-known/oauth-authorization-server${path}`,
    `${issuer.origin}/.well-known/openid-configuration${path}`,
    `${issuer.origin}${path}/.well-known/openid-configuration`,
  ];
}
