import { guardRequest, requestPath, routeRequirement } from '@prmkit/core/adapter';
import { cloudflarePeerCertificate } from '@prmkit/core/adapter';
import type { ClientCertificate } from '@prmkit/core/adapter';
import { toResourceServer, toResponse } from '@prmkit/core/adapter';
import type { AuthInfo, RequireAuthOptions, ResourceServerInput } from '@prmkit/core';

/**
 * Your handler behind {@link withPrmkit}: the request (body unread), the verified token,
 * then whatever else the host passes (Workers' `env` and `ctx`, Next.js's `context`).
 *
 * @example
 * ```ts
 * const handler: ProtectedHandler = (request, auth) => Response.json({ sub: auth.subject });
 * ```
 * @see RFC 9068 §2.2
 */
export type ProtectedHandler<Rest extends unknown[] = []> = (
  request: Request,
  auth: AuthInfo,
  ...rest: Rest
) => Response | Promise<Response>;

/**
 * What {@link withPrmkit} returns: a fetch handler with the host's own signature
 * (`Bun.serve`'s `fetch`, `Deno.serve`'s handler, a Worker's `fetch`, a Next.js route handler).
 *
 * @example
 * ```ts
 * const fetch: FetchHandler = withPrmkit((request, auth) => new Response(auth.subject), config);
 * ```
 * @see RFC 6750 §3
 */
export type FetchHandler<Rest extends unknown[] = []> = (
  request: Request,
  ...rest: Rest
) => Promise<Response>;

/**
 * Options of {@link withPrmkit}.
 *
 * @example
 * ```ts
 * const options: WithPrmkitOptions = { scopes: ['mcp:admin'], bodyLimit: 256 * 1024 };
 * ```
 * @see RFC 6750 §3.1
 */
export interface WithPrmkitOptions<Rest extends unknown[] = []> extends RequireAuthOptions {
  /** Largest JSON body read to find the MCP tool called (a larger one needs every tool scope). Default 1 MiB. */
  readonly bodyLimit?: number;
  /**
   * The client's address, for `rateLimit`: none by default (a Web `Request` has no peer).
   * Bun: `(request, server) => server.requestIP(request)?.address`; Deno:
   * `(request, info) => info.remoteAddr.hostname`; Workers: the `CF-Connecting-IP` header.
   */
  readonly clientAddress?: (request: Request, ...rest: Rest) => string | undefined;
  /**
   * The connection's peer address itself (never `X-Forwarded-For`), for `mtls.trustedProxies`:
   * none by default, so no client-certificate header is believed.
   */
  readonly peerAddress?: (request: Request, ...rest: Rest) => string | undefined;
  /**
   * The TLS client certificate (RFC 8705), read only when `mtls` is on. Default: Cloudflare
   * Workers' `request.cf.tlsClientAuth` fingerprint; elsewhere none.
   */
  readonly peerCertificate?: (request: Request, ...rest: Rest) => ClientCertificate | undefined;
}

/**
 * Protects a Web-standard handler (`(request) => Response`) with OAuth bearer tokens and
 * serves the RFC 9728 metadata at `metadataPaths` (path-aware, and the root alias when
 * configured). Every other request needs a valid token holding the configured
 * `requiredScopes`, the route's `scopes` and, for an MCP `tools/call`, the tool's scopes;
 * a refusal is the core's answer, byte for byte. The handler gets the request with its
 * body unread (the guard reads a clone, only when per-tool scopes need it) and the verified
 * token. The resource server is created once, here.
 *
 * @throws PrmkitConfigError at once for a bad configuration or scope.
 * @example
 * ```ts
 * const rs = createResourceServer({ resource: 'https://api.example.com/mcp', authorizationServers: ['https://auth.example.com'] });
 * // Bun.serve({ fetch }), Deno.serve(fetch), or a Worker's `export default { fetch }`
 * const fetch = withPrmkit((request, auth) => Response.json({ sub: auth.subject }), rs);
 * ```
 * @see RFC 9728 §3 (metadata), RFC 6750 §3 (challenges), RFC 9068 §4 (validation)
 */
export function withPrmkit<Rest extends unknown[] = []>(
  handler: ProtectedHandler<Rest>,
  input: ResourceServerInput,
  options: WithPrmkitOptions<Rest> = {},
): FetchHandler<Rest> {
  const rs = toResourceServer(input);
  const metadataPaths = new Set(rs.metadataPaths);
  const { scopes, bodyLimit, clientAddress, peerAddress } = options;
  const peerCertificate =
    options.peerCertificate ??
    ((request: Request) => cloudflarePeerCertificate((request as { cf?: unknown }).cf));
  const requirement = routeRequirement(
    scopes === undefined ? undefined : { scopes },
    'withPrmkit()',
  );

  return async (request, ...rest) => {
    const { method, url, headers } = request;
    const path = requestPath(url)?.path;
    if (path !== undefined && metadataPaths.has(path)) {
      const answer = rs.handleMetadataRequest({ method, url, headers });
      // 404: the path matches but not the query of a resource that has one; guard it.
      if (answer.status !== 404) return toResponse(answer);
    }
    const result = await guardRequest(
      rs,
      {
        method,
        url,
        headers,
        // A clone, made only if read: `request` reaches the handler unread (the MCP SDK's).
        unreadBody: () => request.clone().body ?? undefined,
        bodyLimit,
        clientAddress: clientAddress?.(request, ...rest),
        peerAddress: peerAddress?.(request, ...rest),
        peerCertificate: () => peerCertificate(request, ...rest),
      },
      requirement,
    );
    if (!result.ok) return toResponse(result.answer);
    return handler(request, result.auth, ...rest);
  };
}
