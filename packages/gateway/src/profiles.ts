/**
 * RFC 8693 §3 token type of an OAuth access token (`subject_token_type`, `issued_token_type`).
 *
 * @example
 * ```ts
 * body.set('subject_token_type', ACCESS_TOKEN_TYPE);
 * ```
 * @see RFC 8693 §3
 */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/**
 * RFC 8693 §2.1 grant type of a token exchange request.
 *
 * @example
 * ```ts
 * body.set('grant_type', TOKEN_EXCHANGE_GRANT);
 * ```
 * @see RFC 8693 §2.1
 */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/**
 * RFC 7523 §2.1 grant type, used by Entra's on-behalf-of flow.
 *
 * @example
 * ```ts
 * body.set('grant_type', JWT_BEARER_GRANT);
 * ```
 * @see RFC 7523 §2.1
 */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The wire shape of the exchange request at one kind of authorization server:
 *
 * - `rfc8693`: RFC 8693 with `resource` (RFC 8707) and/or `audience`, whichever the target names.
 * - `keycloak`: RFC 8693; `audience` = the target's client id (standard token exchange V2).
 * - `auth0`: RFC 8693 on-behalf-of; `audience` = the API identifier.
 * - `okta`: RFC 8693 at a custom authorization server; `audience` = the API's audience.
 * - `workos`: RFC 8693; `resource` = the API.
 * - `entra-obo`: not RFC 8693 but RFC 7523 `jwt-bearer` with `assertion`,
 *   `requested_token_use=on_behalf_of` and `scope` (`<api>/.default` style scopes).
 *
 * @example
 * ```ts
 * createTokenExchanger({ issuer, client, profile: 'keycloak' });
 * ```
 * @see RFC 8693 §2.1, RFC 7523 §2.1,
 *   https://www.keycloak.org/securing-apps/token-exchange,
 *   https://auth0.com/docs/secure/call-apis-on-users-behalf/on-behalf-of-token-exchange,
 *   https://developer.okta.com/docs/guides/set-up-token-exchange/,
 *   https://workos.com/blog/mcp-server-call-api-on-behalf-of-user,
 *   https://learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow
 */
export type ExchangeProfile = 'rfc8693' | 'keycloak' | 'auth0' | 'okta' | 'workos' | 'entra-obo';

/**
 * Every profile name, for validating configuration.
 *
 * @example
 * ```ts
 * EXCHANGE_PROFILES.includes('keycloak'); // true
 * ```
 * @see RFC 8693 §2.1
 */
export const EXCHANGE_PROFILES: readonly ExchangeProfile[] = Object.freeze([
  'rfc8693',
  'keycloak',
  'auth0',
  'okta',
  'workos',
  'entra-obo',
]);

/** What the gateway asks for at one downstream: exactly one of `resource`, `audience`, or both. */
export interface TargetIdentity {
  /** RFC 8707 resource indicator (absolute URI) of the downstream. */
  readonly resource?: string | undefined;
  /** RFC 8693 `audience`: a logical name (Keycloak client id, Auth0 API identifier...). */
  readonly audience?: string | undefined;
  /** Scopes requested for the downstream. */
  readonly scopes: readonly string[];
}

/** The form body of one exchange request (without client authentication). */
export function exchangeParameters(
  profile: ExchangeProfile,
  subjectToken: string,
  target: TargetIdentity,
): URLSearchParams {
  const body = new URLSearchParams();
  const scope = target.scopes.join(' ');
  if (profile === 'entra-obo') {
    body.set('grant_type', JWT_BEARER_GRANT);
    body.set('assertion', subjectToken);
    body.set('requested_token_use', 'on_behalf_of');
    if (scope !== '') body.set('scope', scope);
    return body;
  }
  body.set('grant_type', TOKEN_EXCHANGE_GRANT);
  body.set('subject_token', subjectToken);
  body.set('subject_token_type', ACCESS_TOKEN_TYPE);
  body.set('requested_token_type', ACCESS_TOKEN_TYPE);
  const wantsResource = profile === 'rfc8693' || profile === 'workos';
  const wantsAudience = profile !== 'workos';
  if (wantsResource && target.resource !== undefined) body.set('resource', target.resource);
  if (wantsAudience && target.audience !== undefined) body.set('audience', target.audience);
  if (scope !== '') body.set('scope', scope);
  return body;
}

/**
 * Which identity field a profile needs from a target, for configuration checks:
 * `resource` (WorkOS), `audience` (Keycloak, Auth0, Okta), `either` (plain RFC 8693),
 * `none` (Entra OBO: the API is named by its scopes).
 */
export function profileNeeds(
  profile: ExchangeProfile,
): 'resource' | 'audience' | 'either' | 'none' {
  switch (profile) {
    case 'rfc8693':
      return 'either';
    case 'workos':
      return 'resource';
    case 'entra-obo':
      return 'none';
    default:
      return 'audience';
  }
}
