import { createLocalJWKSet, type JWK, type JWTPayload, jwtVerify } from 'jose';
import type Provider from 'oidc-provider';
import type { ClientMetadata, KoaContextWithOIDC, errors as OidcErrors } from 'oidc-provider';
import type { ResolvedOptions, TokenExchangeOptions } from './options.js';

/** RFC 8693 §2.1 grant type. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3: an OAuth 2.0 access token. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const PARAMETERS = [
  'audience',
  'resource',
  'scope',
  'requested_token_type',
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
];

/**
 * The static client entries of the exchange clients: only the token-exchange grant, no
 * redirect, authenticated by secret or by `private_key_jwt`.
 */
export function exchangeClients(exchange: TokenExchangeOptions | undefined): ClientMetadata[] {
  return (exchange?.clients ?? []).map((client) => ({
    client_id: client.clientId,
    grant_types: [TOKEN_EXCHANGE_GRANT],
    response_types: [],
    redirect_uris: [],
    ...('clientSecret' in client
      ? { client_secret: client.clientSecret, token_endpoint_auth_method: 'client_secret_basic' }
      : {
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'ES256',
          jwks: { keys: client.jwks.keys.map((key) => ({ ...key })) },
        }),
  }));
}

/** `act` of each exchanged token, looked up by `extraTokenClaims` when the token is signed. */
const actors = new WeakMap<object, Record<string, unknown>>();

/**
 * `extraTokenClaims`: the RFC 8693 §4.1 `act` claim of an exchanged access token (the
 * exchanging client, nesting the subject token's own `act` if it had one).
 */
export function exchangeTokenClaims(
  _ctx: unknown,
  token: object,
): Record<string, unknown> | undefined {
  const act = actors.get(token);
  return act === undefined ? undefined : { act };
}

const values = (value: unknown): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

/**
 * Registers RFC 8693 token exchange on the provider (oidc-provider's documented custom
 * grant type). Policy: only the configured clients may exchange (`unauthorized_client`);
 * the subject token must be a valid access token from this server (`invalid_request`, RFC
 * 8693 §2.2.2); exactly one `resource` or `audience`, one of the configured downstream
 * resources (`invalid_target`); scopes no wider than the subject token's (`invalid_scope`).
 * The issued token keeps the user as `sub`, names the downstream as `aud` and the
 * exchanging client as `act.sub` and `client_id` (RFC 8693 §4.1, §4.3).
 *
 * @see RFC 8693 §2, §4.1; https://github.com/panva/node-oidc-provider/blob/main/docs/README.md#registergranttype
 */
export function registerTokenExchange(
  provider: Provider,
  options: ResolvedOptions,
  publicKeys: readonly JWK[],
  errors: typeof OidcErrors,
): void {
  const exchange = options.tokenExchange;
  if (exchange === undefined) return;
  const allowedClients = new Set(exchange.clients.map((client) => client.clientId));
  const downstream = new Set(exchange.resources);
  const grantable = new Set(options.scopes);
  const keys = createLocalJWKSet({ keys: publicKeys.map((key) => ({ ...key })) });

  const handler = async (ctx: KoaContextWithOIDC): Promise<void> => {
    const client = ctx.oidc.client;
    const params = ctx.oidc.params as Record<string, unknown>;
    if (client === undefined || !allowedClients.has(client.clientId))
      throw new errors.UnauthorizedClient('this client may not exchange tokens');
    if (typeof params['subject_token'] !== 'string' || params['subject_token'] === '')
      throw new errors.InvalidRequest('subject_token is required');
    if (params['subject_token_type'] !== ACCESS_TOKEN_TYPE)
      throw new errors.InvalidRequest(`subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
    const requested = params['requested_token_type'];
    if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE)
      throw new errors.InvalidRequest(`only ${ACCESS_TOKEN_TYPE} can be issued`);
    if (params['actor_token'] !== undefined || params['actor_token_type'] !== undefined)
      throw new errors.InvalidRequest('actor_token is not supported; the client is the actor');
    const targets = [...new Set([...values(params['resource']), ...values(params['audience'])])];
    if (targets.length !== 1)
      throw new errors.InvalidTarget('name exactly one downstream in resource or audience');
    const target = targets[0] as string;
    if (!downstream.has(target))
      throw new errors.InvalidTarget(`"${target}" is not a downstream this server exchanges for`);

    let subject: JWTPayload;
    try {
      ({ payload: subject } = await jwtVerify(params['subject_token'] as string, keys, {
        issuer: provider.issuer,
        typ: 'at+jwt',
        requiredClaims: ['exp', 'sub', 'aud'],
      }));
    } catch {
      throw new errors.InvalidRequest('subject_token is not a valid access token of this server');
    }
    const subjectAudiences = values(subject.aud);
    if (subjectAudiences.includes(target))
      throw new errors.InvalidRequest('subject_token is already a token for the target');
    const held = new Set(values(subject['scope']).flatMap((scope) => scope.split(' ')));
    const asked =
      typeof params['scope'] === 'string' ? params['scope'].split(' ').filter(Boolean) : [];
    const missing = asked.filter((scope) => !held.has(scope) || !grantable.has(scope));
    if (missing.length > 0)
      throw new errors.InvalidScope(
        `the subject token does not carry: ${missing.join(' ')}`,
        missing.join(' '),
      );
    const scopes = asked.length > 0 ? asked : [...held].filter((scope) => grantable.has(scope));

    // A grant of its own, so that introspection and revocation by grant work as for any token.
    const grant = new provider.Grant({
      accountId: subject.sub as string,
      clientId: client.clientId,
    });
    if (scopes.length > 0) grant.addResourceScope(target, scopes.join(' '));
    const grantId = await grant.save();
    const token = new provider.AccessToken({
      accountId: subject.sub as string,
      client,
      grantId,
      scope: scopes.join(' ') || undefined,
      gty: 'token_exchange',
    });
    token.resourceServer = new provider.ResourceServer(target, {
      scope: options.scopes.join(' '),
      audience: target,
      accessTokenTTL: options.accessTokenTtl,
      ...(options.accessTokenFormat === 'opaque'
        ? { accessTokenFormat: 'opaque' }
        : { accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
    });
    const prior = subject['act'];
    actors.set(token, {
      sub: client.clientId,
      ...(typeof prior === 'object' && prior !== null ? { act: prior } : {}),
    });
    ctx.oidc.entity('AccessToken', token);
    const value = await token.save();
    ctx.body = {
      access_token: value,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: token.expiration,
      ...(token.scope ? { scope: token.scope } : {}),
    };
  };
  provider.registerGrantType(TOKEN_EXCHANGE_GRANT, handler, PARAMETERS, ['audience', 'resource']);
}
