import { SignJWT, importJWK, importPKCS8 } from 'jose';
import { ClientError } from '../errors.js';
import { asObject, requestJson } from '../http.js';
import type { HttpPolicy } from '../http.js';
import type { AuthorizationServerMetadata } from '../metadata-types.js';
import { requireSafeUrl } from '../url-policy.js';
import { createDpopProof } from '../dpop/dpop-proof.js';
import type { DpopNonces } from '../dpop/dpop-nonces.js';
import { randomToken } from './pkce.js';
import type { ClientIdentity, TokenSet } from './types.js';

/** Where and as whom a token request goes. */
export interface TokenEndpointContext {
  readonly issuer: string;
  readonly metadata: AuthorizationServerMetadata;
  readonly client: ClientIdentity;
  readonly policy: HttpPolicy;
  /** Send a DPoP proof with this key (RFC 9449 §5) and bind the tokens to it. */
  readonly dpop?: { readonly key: CryptoKeyPair; readonly nonces: DpopNonces } | undefined;
}

/**
 * Sends one token request (RFC 6749 §3.2) with the client's authentication method and
 * returns the validated token set. OAuth errors throw `ClientError('token_request_failed')`
 * with `oauthError` set (`invalid_grant`, `invalid_client`, ...).
 *
 * @example
 * ```ts
 * const tokens = await tokenRequest(ctx, { grant_type: 'client_credentials', resource: 'https://mcp.example.com/mcp' });
 * ```
 * @see RFC 6749 §3.2, §5.1, §5.2; RFC 7523 §2.2; OAuth 2.1 §1.5 (https)
 */
export async function tokenRequest(
  ctx: TokenEndpointContext,
  params: Record<string, string | undefined>,
  requestedScopes?: readonly string[],
): Promise<TokenSet> {
  if (ctx.metadata.issuer !== ctx.issuer) {
    // Never send a code or refresh token to another issuer's endpoint.
    throw new ClientError('issuer_mismatch', 'token endpoint metadata belongs to another issuer');
  }
  const endpoint = requireSafeUrl(tokenEndpointOf(ctx), 'token_endpoint', {
    ...ctx.policy,
    source: 'handed-over',
  });
  const { dpop } = ctx;
  const post = async (): Promise<Awaited<ReturnType<typeof requestJson>>> => {
    // Built anew for each attempt: a client assertion's jti must not repeat either.
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, v);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
    };
    await authenticateClient(ctx, form, headers);
    if (dpop) {
      const nonce = dpop.nonces.get('as', ctx.issuer);
      headers['dpop'] = await createDpopProof(dpop.key, { method: 'POST', url: endpoint, nonce });
    }
    const answer = await requestJson(
      endpoint,
      { method: 'POST', headers, body: form.toString() },
      ctx.policy,
    );
    if (dpop) dpop.nonces.remember('as', ctx.issuer, answer.headers);
    return answer;
  };
  let res = await post();
  // RFC 9449 §8: the authorization server wants a nonce; retry once with the one it gave.
  if (dpop && res.status === 400 && asObject(res.json)?.['error'] === 'use_dpop_nonce') {
    if (res.headers.get('dpop-nonce')) res = await post();
  }
  const body = asObject(res.json);
  if (res.status !== 200) {
    const { error, summary } = describeErrorResponse(res.status, body, 'RFC 6749 §5.2', [400, 401]);
    throw new ClientError(
      'token_request_failed',
      `token endpoint answered ${summary}${publicClientHint(ctx.client, error)}`,
      {
        status: res.status,
        ...(error ? { oauthError: error } : {}),
      },
    );
  }
  return parseTokenResponse(body, requestedScopes, dpop?.key);
}

/**
 * A public client this library registered itself, refused as a client: the server most
 * likely stored it as confidential (Glewlwyd 2.7.5 does so for a standard RFC 7591
 * `token_endpoint_auth_method: "none"` registration unless it carries its own
 * `client_confidential: false` member). Say so, and how to send that member.
 */
function publicClientHint(client: ClientIdentity, error: string | undefined): string {
  if (client.source !== 'dynamic-registration' || client.tokenEndpointAuthMethod !== 'none')
    return '';
  if (error !== 'unauthorized_client' && error !== 'invalid_client') return '';
  return '; the server refused the public client it registered dynamically (token_endpoint_auth_method "none"), so it may have stored it as confidential: Glewlwyd 2.7 needs `clientMetadata: { client_confidential: false }`';
}

/**
 * Summarizes an OAuth error response for an error message: status, `error`,
 * `error_description`, and what deviates from the spec named (`ref`): a 4xx without a JSON
 * `error` member, or a status other than `statuses` (Glewlwyd, for one, answers a wrong
 * client secret with an empty 403). The deviation is named, never guessed around: without
 * an `error`, the caller cannot tell a dead grant from anything else.
 *
 * @example
 * ```ts
 * describeErrorResponse(403, undefined, 'RFC 6749 §5.2', [400, 401]).summary;
 * // '403 without an OAuth error object (RFC 6749 §5.2 requires a JSON body with "error")'
 * ```
 * @see RFC 6749 §5.2, RFC 7591 §3.2.2
 */
export function describeErrorResponse(
  status: number,
  body: Record<string, unknown> | undefined,
  ref: string,
  statuses: readonly number[],
): { error: string | undefined; summary: string } {
  const error = typeof body?.['error'] === 'string' ? body['error'] : undefined;
  const description =
    typeof body?.['error_description'] === 'string' ? `: ${body['error_description']}` : '';
  let deviation = '';
  if (status >= 400 && status < 500) {
    if (error === undefined) {
      deviation = ` without an OAuth error object (${ref} requires a JSON body with "error")`;
    } else if (!statuses.includes(status)) {
      deviation = ` (${ref} answers errors with ${statuses.join(' or ')})`;
    }
  }
  return { error, summary: `${status}${error ? ` ${error}` : ''}${description}${deviation}` };
}

/**
 * Validates an RFC 6749 §5.1 success response into a {@link TokenSet}: a non-empty
 * `access_token` and `token_type` Bearer (or DPoP, when `dpopKey` made the request's
 * proof; the key is kept in the set) are required (case-insensitive), else it throws
 * `ClientError('token_response_invalid')`. `expires_in` becomes an absolute `expiresAt`;
 * without a `scope` member the requested scopes are assumed granted (RFC 6749 §5.1).
 *
 * @example
 * ```ts
 * const tokens = parseTokenResponse(
 *   { access_token: 'eyJ…', token_type: 'Bearer', expires_in: 3600 },
 *   ['mcp:tools'],
 * );
 * tokens.scopes; // ['mcp:tools']
 * ```
 * @see RFC 6749 §5.1
 */
export function parseTokenResponse(
  body: Record<string, unknown> | undefined,
  requestedScopes?: readonly string[],
  dpopKey?: CryptoKeyPair,
): TokenSet {
  const accessToken = body?.['access_token'];
  const tokenType = body?.['token_type'];
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new ClientError('token_response_invalid', 'token response has no access_token');
  }
  const type = typeof tokenType === 'string' ? tokenType.toLowerCase() : undefined;
  // RFC 9449 §5: `DPoP` only answers a request that carried a proof.
  if (type !== 'bearer' && !(type === 'dpop' && dpopKey)) {
    throw new ClientError(
      'token_response_invalid',
      `unsupported token_type ${String(tokenType)} (${dpopKey ? 'Bearer or DPoP' : 'only Bearer'})`,
    );
  }
  const expiresIn = body?.['expires_in'];
  const refreshToken = body?.['refresh_token'];
  const scope = body?.['scope'];
  return {
    accessToken,
    tokenType: type === 'dpop' ? 'DPoP' : 'Bearer',
    ...(type === 'dpop' ? { dpopKey } : {}),
    expiresAt:
      typeof expiresIn === 'number' && expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined,
    refreshToken:
      typeof refreshToken === 'string' && refreshToken !== '' ? refreshToken : undefined,
    scopes: typeof scope === 'string' ? scope.split(' ').filter((s) => s !== '') : requestedScopes,
  };
}

/**
 * Adds client authentication to a token request.
 *
 * @see RFC 6749 §2.3.1 (basic, post), OAuth 2.1 §2.4.1 (none), RFC 7523 §2.2 (private_key_jwt)
 */
/**
 * The token endpoint to call: with a client certificate (`policy.mtls`), the RFC 8705 §5
 * alias when the authorization server lists one (certificate-bound tokens and mTLS client
 * authentication are only offered there), else `token_endpoint`.
 */
function tokenEndpointOf(ctx: TokenEndpointContext): string | undefined {
  const alias = ctx.policy.mtls
    ? ctx.metadata.mtls_endpoint_aliases?.['token_endpoint']
    : undefined;
  return typeof alias === 'string' ? alias : ctx.metadata.token_endpoint;
}

async function authenticateClient(
  ctx: TokenEndpointContext,
  form: URLSearchParams,
  headers: Record<string, string>,
): Promise<void> {
  const { client } = ctx;
  switch (client.tokenEndpointAuthMethod) {
    case 'client_secret_basic': {
      const secret = requireSecret(client);
      // RFC 6749 §2.3.1: both parts form-encoded before base64.
      const raw = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(secret)}`;
      headers['authorization'] =
        `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(raw)))}`;
      return;
    }
    case 'client_secret_post':
      form.set('client_id', client.clientId);
      form.set('client_secret', requireSecret(client));
      return;
    case 'none':
      form.set('client_id', client.clientId);
      return;
    case 'tls_client_auth':
    case 'self_signed_tls_client_auth':
      // RFC 8705 §2: the TLS handshake authenticates; the form names the client.
      if (!ctx.policy.mtls) {
        throw new ClientError(
          'client_auth_unsupported',
          `${client.tokenEndpointAuthMethod} needs a client certificate (mtls: true with createMtlsFetch)`,
        );
      }
      form.set('client_id', client.clientId);
      return;
    case 'private_key_jwt': {
      form.set('client_id', client.clientId);
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', await clientAssertion(client, ctx.issuer));
      return;
    }
    default:
      throw new ClientError(
        'client_auth_unsupported',
        `unsupported token endpoint auth method ${String(client.tokenEndpointAuthMethod)}`,
      );
  }
}

function requireSecret(client: ClientIdentity): string {
  if (!client.clientSecret) {
    throw new ClientError(
      'client_auth_unsupported',
      `${client.tokenEndpointAuthMethod} needs a clientSecret`,
    );
  }
  return client.clientSecret;
}

/**
 * A short-lived RFC 7523 client assertion: iss = sub = client_id, aud = the issuer
 * identifier, unique jti, 60 s lifetime. Signed with `signingAlgorithm`, else the JWK's
 * `alg`, else ES256.
 *
 * @example
 * ```ts
 * const assertion = await clientAssertion(
 *   { clientId: 'my-client', privateKey: pkcs8Pem },
 *   'https://auth.example.com',
 * );
 * form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
 * form.set('client_assertion', assertion);
 * ```
 * @see RFC 7523 §3, RFC 7521 §5.2
 */
export async function clientAssertion(
  client: PreRegisteredClientKey,
  audience: string,
): Promise<string> {
  if (!client.privateKey)
    throw new ClientError('client_auth_unsupported', 'private_key_jwt needs a privateKey');
  const jwkAlg =
    typeof client.privateKey === 'object' && 'alg' in client.privateKey
      ? client.privateKey.alg
      : undefined;
  const alg = client.signingAlgorithm ?? jwkAlg ?? 'ES256';
  let key: CryptoKey | Uint8Array;
  if (typeof client.privateKey === 'string') key = await importPKCS8(client.privateKey, alg);
  else if (client.privateKey instanceof CryptoKey) key = client.privateKey;
  else key = await importJWK(client.privateKey as Parameters<typeof importJWK>[0], alg);
  return new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('60s')
    .setJti(randomToken(16))
    .sign(key);
}

type PreRegisteredClientKey = Pick<ClientIdentity, 'clientId' | 'privateKey' | 'signingAlgorithm'>;
