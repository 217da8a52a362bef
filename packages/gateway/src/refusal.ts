import { formatWwwAuthenticate } from '@prmkit/core';
import type { GatewayError } from './errors.js';

/** What a gateway writes back to the MCP client when a downstream token cannot be had. */
export interface GatewayRefusal {
  readonly status: 401 | 403 | 502 | 503;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Context of one refusal: the route's RFC 9728 metadata URL and the target's scopes. */
export interface RefusalContext {
  /** `resource_metadata` of the route the client called (RFC 9728 §5.1). */
  readonly resourceMetadataUrl: string;
  /** Scopes that would let the exchange succeed (sent with `insufficient_scope`). */
  readonly scopes: readonly string[];
}

/** Authorization-server refusals that more (or consented) scope at the gateway can cure. */
const NEEDS_SCOPE = new Set([
  'invalid_scope',
  'insufficient_scope',
  'consent_required',
  'interaction_required',
  'login_required',
]);
/** Refusals about the subject token itself (RFC 8693 §2.2.2 uses invalid_request for those). */
const BAD_SUBJECT = new Set(['invalid_grant', 'invalid_request', 'invalid_token']);
/** The user (or the token) may not reach this downstream at all. */
const FORBIDDEN = new Set(['invalid_target', 'access_denied']);

const RFC6750_DESCRIPTION = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g;

function challenge(
  ctx: RefusalContext,
  error: string,
  description: string,
  scope?: string,
): string {
  return formatWwwAuthenticate([
    {
      scheme: 'Bearer',
      params: {
        error,
        error_description: description.replace(RFC6750_DESCRIPTION, '?'),
        ...(scope === undefined || scope === '' ? {} : { scope }),
        resource_metadata: ctx.resourceMetadataUrl,
      },
    },
  ]);
}

const json = (error: string, description: string): string =>
  JSON.stringify({ error, error_description: description });

/**
 * The answer to the MCP client when the downstream token cannot be obtained. Never a
 * fallback to the inbound token. The mapping:
 *
 * | Cause | Answer |
 * |---|---|
 * | AS `invalid_scope`, `consent_required`, `interaction_required`, `login_required` | 403, `Bearer error="insufficient_scope"`, `scope` = the target's scopes (authorize again, with consent) |
 * | AS `invalid_grant`, `invalid_request` (RFC 8693: bad subject token), `invalid_token` | 401, `Bearer error="invalid_token"` (get a new token) |
 * | AS `invalid_target`, `access_denied` | 403, body `access_denied` (no challenge: no token helps) |
 * | AS `invalid_client`, `unauthorized_client`, `unsupported_grant_type`, other 4xx | 502, body `bad_gateway`: the gateway's own credentials or setup |
 * | AS unreachable, timeout, 5xx, 429, metadata down | 503 with `Retry-After` |
 * | unusable 200 (`exchange_response_invalid`), guard refusal (`passthrough_refused`) | 502 |
 *
 * Descriptions are fixed texts plus the target name: the authorization server's own
 * description may name internal details and is only in `error.message` (for logs).
 *
 * @example
 * ```ts
 * async function answerFor(auth: AuthInfo, target: DownstreamTarget): Promise<Response | undefined> {
 *   try {
 *     await exchanger.tokenFor(auth, target);
 *     return undefined;
 *   } catch (e) {
 *     if (!(e instanceof GatewayError)) throw e;
 *     const r = gatewayRefusal(e, { resourceMetadataUrl, scopes: target.scopes });
 *     return new Response(r.body, { status: r.status, headers: r.headers });
 *   }
 * }
 * ```
 * @see RFC 6750 §3.1, RFC 8693 §2.2.2, RFC 9728 §5.1, RFC 9110 §15.6.4 and §10.2.3
 */
export function gatewayRefusal(
  error: GatewayError,
  ctx: RefusalContext,
  targetName = 'the downstream server',
): GatewayRefusal {
  const base = { 'cache-control': 'no-store', 'content-type': 'application/json' };
  if (error.code === 'exchange_unavailable') {
    const description = `the authorization server cannot issue a token for ${targetName} right now`;
    return {
      status: 503,
      headers: { ...base, 'retry-after': String(Math.max(1, Math.ceil(error.retryAfter ?? 5))) },
      body: json('temporarily_unavailable', description),
    };
  }
  if (error.code === 'exchange_refused') {
    const oauth = error.oauthError ?? '';
    if (NEEDS_SCOPE.has(oauth)) {
      const description = `a token for ${targetName} needs scope (or consent) your token does not carry`;
      const scope = ctx.scopes.join(' ');
      return {
        status: 403,
        headers: {
          ...base,
          'www-authenticate': challenge(ctx, 'insufficient_scope', description, scope),
          'access-control-expose-headers': 'WWW-Authenticate',
        },
        body: json('insufficient_scope', description),
      };
    }
    if (BAD_SUBJECT.has(oauth)) {
      const description = `the authorization server no longer accepts this token for ${targetName}`;
      return {
        status: 401,
        headers: {
          ...base,
          'www-authenticate': challenge(ctx, 'invalid_token', description),
          'access-control-expose-headers': 'WWW-Authenticate',
        },
        body: json('invalid_token', description),
      };
    }
    if (FORBIDDEN.has(oauth)) {
      return {
        status: 403,
        headers: base,
        body: json('access_denied', `you may not use ${targetName} through this gateway`),
      };
    }
  }
  return {
    status: 502,
    headers: base,
    body: json('bad_gateway', `the gateway cannot obtain a token for ${targetName}`),
  };
}
