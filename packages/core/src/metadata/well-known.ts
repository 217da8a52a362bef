import { PrmkitError } from '../model/errors.js';

/**
 * The RFC 9728 well-known URI suffix, `/.well-known/oauth-protected-resource`. Use
 * {@link metadataUrlFor} to place it in a resource identifier; this constant is for
 * routing and matching.
 *
 * @example
 * ```ts
 * const isMetadataRequest = new URL(req.url).pathname.startsWith(METADATA_WELL_KNOWN);
 * ```
 * @see RFC 9728 §3
 */
export const METADATA_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * The URL where a protected resource's metadata lives (RFC 9728 §3.1): the well-known
 * suffix goes between the host and the path (and query) of the resource identifier; a
 * lone terminating slash after the host is dropped, so `https://api.example.com/` and
 * `https://api.example.com` both map to the root well-known URL.
 *
 * @example
 * ```ts
 * metadataUrlFor('https://api.example.com/mcp');
 * // 'https://api.example.com/.well-known/oauth-protected-resource/mcp'
 * metadataUrlFor('https://api.example.com/mcp?tenant=a');
 * // 'https://api.example.com/.well-known/oauth-protected-resource/mcp?tenant=a'
 * ```
 * @see RFC 9728 §3.1
 */
export function metadataUrlFor(resource: string | URL): string {
  let url: URL;
  try {
    url = new URL(resource);
  } catch (cause) {
    throw new PrmkitError('config_invalid', 'resource is not an absolute URL', { cause });
  }
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${METADATA_WELL_KNOWN}${path}${url.search}`;
}
