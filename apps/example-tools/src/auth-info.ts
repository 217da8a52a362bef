import type { AuthInfo } from '@prmkit/core';
import type { AuthInfo as SdkAuthInfo } from '@modelcontextprotocol/server';

/** The verified caller as the MCP SDK carries it: its `AuthInfo` plus prmkit's fields in `extra`. */
export type ExampleAuthInfo = SdkAuthInfo & {
  readonly extra: {
    readonly subject: string | undefined;
    readonly issuer: string | undefined;
    readonly audience: readonly string[];
  };
};

/**
 * Converts the `AuthInfo` a prmkit adapter verified into the MCP SDK's `AuthInfo`, which
 * the SDK hands to tool handlers as `ctx.http.authInfo`. The SDK type has no subject or
 * issuer, so those travel in `extra`. The adapter did all checks; this only reshapes.
 *
 * @example
 * ```ts
 * const response = await mcp.fetch(request, { authInfo: toSdkAuthInfo(c.get('auth')) });
 * ```
 * @see RFC 9068 §2.2 (the claims behind AuthInfo)
 */
export function toSdkAuthInfo(auth: AuthInfo): ExampleAuthInfo {
  const resource =
    auth.audience[0] === undefined ? undefined : (URL.parse(auth.audience[0]) ?? undefined);
  return {
    token: auth.token,
    clientId: auth.clientId ?? '',
    scopes: [...auth.scopes],
    ...(auth.expiresAt === undefined ? {} : { expiresAt: auth.expiresAt }),
    ...(resource === undefined ? {} : { resource }),
    extra: { subject: auth.subject, issuer: auth.issuer, audience: [...auth.audience] },
  };
}
