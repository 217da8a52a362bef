import { ClientError } from '../errors.js';
import { asObject, requestJson } from '../http.js';
import type { HttpPolicy } from '../http.js';
import type { AuthorizationServerMetadata } from '../metadata-types.js';
import { isLoopbackHost } from '@prmkit/core/http';
import { requireSafeUrl } from '../url-policy.js';
import { describeErrorResponse } from './token.js';
import type { ClientIdentity, PreRegisteredClient, TokenEndpointAuthMethod } from './types.js';

/** Input of {@link resolveClientIdentity}. */
export interface ClientIdentityInput {
  readonly metadata: AuthorizationServerMetadata;
  readonly grant: 'authorization_code' | 'client_credentials';
  readonly preRegistered?: PreRegisteredClient | undefined;
  /** An https URL serving this client's Client ID Metadata Document. */
  readonly clientMetadataUrl?: string | undefined;
  /** Members merged into the RFC 7591 registration request (e.g. `client_name`). */
  readonly clientMetadata?: Readonly<Record<string, unknown>> | undefined;
  readonly redirectUri?: string | undefined;
  /** A client registered dynamically earlier with this server (from the store). */
  readonly stored?: ClientIdentity | undefined;
  readonly policy: HttpPolicy;
}

/** RFC 8414 §2: absent list means client_secret_basic only. */
function supportedMethods(metadata: AuthorizationServerMetadata): readonly string[] {
  const list = metadata.token_endpoint_auth_methods_supported;
  return Array.isArray(list) ? list : ['client_secret_basic'];
}

/**
 * The token endpoint auth method for a client with (or without) a secret: basic, then
 * post, then none, as the server supports them. An absent
 * `token_endpoint_auth_methods_supported` means `client_secret_basic` only.
 *
 * @example
 * ```ts
 * chooseAuthMethod({ issuer, token_endpoint_auth_methods_supported: ['client_secret_post', 'none'] }, true);
 * // 'client_secret_post'
 * chooseAuthMethod({ issuer }, false); // 'none'
 * ```
 * @see RFC 8414 §2 (token_endpoint_auth_methods_supported), RFC 7591 §2
 */
export function chooseAuthMethod(
  metadata: AuthorizationServerMetadata,
  hasSecret: boolean,
): TokenEndpointAuthMethod {
  const supported = supportedMethods(metadata);
  if (hasSecret) {
    if (supported.includes('client_secret_basic')) return 'client_secret_basic';
    if (supported.includes('client_secret_post')) return 'client_secret_post';
  }
  return 'none';
}

/**
 * Picks the client identity, in the MCP order: pre-registered, then a Client ID Metadata
 * Document when the server advertises support, then RFC 7591 dynamic registration (reusing
 * a stored registration with the same redirect URI), else an error saying what to
 * configure.
 *
 * @example
 * ```ts
 * const client = await resolveClientIdentity({ metadata, grant: 'authorization_code', redirectUri, policy: {} });
 * ```
 * @see MCP 2025-11-25 authorization (client registration approaches); RFC 7591 §3; CIMD draft
 */
export async function resolveClientIdentity(input: ClientIdentityInput): Promise<ClientIdentity> {
  const { metadata, preRegistered } = input;
  if (preRegistered) {
    if (preRegistered.issuer !== undefined && preRegistered.issuer !== metadata.issuer) {
      // Its secret or assertion belongs to one authorization server (RFC 9728 §7.6).
      throw new ClientError(
        'client_registration_unavailable',
        `the pre-registered client ${preRegistered.clientId} belongs to ${preRegistered.issuer}; its credentials are not sent to ${metadata.issuer}`,
      );
    }
    const method =
      preRegistered.tokenEndpointAuthMethod ??
      (preRegistered.privateKey
        ? 'private_key_jwt'
        : chooseAuthMethod(metadata, Boolean(preRegistered.clientSecret)));
    return { ...preRegistered, tokenEndpointAuthMethod: method, source: 'pre-registered' };
  }
  if (input.grant === 'client_credentials') {
    throw new ClientError(
      'client_registration_unavailable',
      'the client credentials grant needs a pre-registered client: set `client: { clientId, clientSecret | privateKey }`',
    );
  }
  if (input.clientMetadataUrl && metadata.client_id_metadata_document_supported === true) {
    const url = requireSafeUrl(input.clientMetadataUrl, 'clientMetadataUrl', {
      source: 'configured',
    });
    if (url.pathname === '/')
      throw new ClientError('invalid_url', 'clientMetadataUrl must have a path (CIMD)');
    return { clientId: url.href, tokenEndpointAuthMethod: 'none', source: 'metadata-document' };
  }
  if (
    input.stored &&
    input.stored.source === 'dynamic-registration' &&
    input.stored.redirectUri === input.redirectUri
  ) {
    return input.stored;
  }
  if (metadata.registration_endpoint !== undefined) {
    if (!input.redirectUri)
      throw new ClientError(
        'client_registration_unavailable',
        'dynamic registration needs a redirectUri',
      );
    return registerClient(metadata, input.redirectUri, input.clientMetadata, input.policy);
  }
  const hints = [
    'a pre-registered `client: { clientId }`',
    metadata.client_id_metadata_document_supported === true
      ? '`clientMetadataUrl` (the server supports Client ID Metadata Documents)'
      : undefined,
  ].filter(Boolean);
  throw new ClientError(
    'client_registration_unavailable',
    `authorization server ${metadata.issuer} offers no dynamic registration${
      metadata.client_id_metadata_document_supported === true
        ? ''
        : ' and no Client ID Metadata Documents'
    }; configure ${hints.join(' or ')}`,
  );
}

/**
 * RFC 7591 dynamic client registration. Requests basic, then post, then none (as the server
 * supports them) and honours the method the server returns. `extra` members (e.g.
 * `client_name`) override the request's defaults; `policy` sets timeouts, size caps and
 * `allowHttp`/`allowPrivateNetwork`.
 *
 * @example
 * ```ts
 * const client = await registerClient(
 *   authorizationServerMetadata,
 *   'http://127.0.0.1:8976/callback',
 *   { client_name: 'My MCP client' },
 *   { timeoutMs: 5000 },
 * );
 * client.clientId; // issued by the server; client.source === 'dynamic-registration'
 * ```
 * @see RFC 7591 §2, §3.1, §3.2.1
 */
export async function registerClient(
  metadata: AuthorizationServerMetadata,
  redirectUri: string,
  extra: Readonly<Record<string, unknown>> | undefined,
  policy: HttpPolicy,
): Promise<ClientIdentity> {
  const endpoint = requireSafeUrl(metadata.registration_endpoint, 'registration_endpoint', {
    ...policy,
    source: 'handed-over',
  });
  const requested = chooseAuthMethod(metadata, true);
  const redirect = new URL(redirectUri);
  const native = redirect.protocol !== 'https:' || isLoopbackHost(redirect.hostname);
  const body = {
    client_name: 'prmkit client',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: requested,
    application_type: native ? 'native' : 'web',
    ...extra,
  };
  const res = await requestJson(
    endpoint,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    policy,
  );
  const doc = asObject(res.json);
  // RFC 7591 §3.2.1 says 201; some servers (Glewlwyd 2.7) answer 200 with the same body.
  if (res.status !== 201 && res.status !== 200) {
    const { error, summary } = describeErrorResponse(res.status, doc, 'RFC 7591 §3.2.2', [400]);
    throw new ClientError('registration_failed', `registration endpoint answered ${summary}`, {
      status: res.status,
      ...(error ? { oauthError: error } : {}),
    });
  }
  const clientId = doc?.['client_id'];
  if (typeof clientId !== 'string' || clientId === '') {
    throw new ClientError('registration_failed', 'registration response has no client_id');
  }
  const secret = typeof doc?.['client_secret'] === 'string' ? doc['client_secret'] : undefined;
  const returned = doc?.['token_endpoint_auth_method'];
  const method: TokenEndpointAuthMethod =
    returned === 'client_secret_basic' || returned === 'client_secret_post' || returned === 'none'
      ? returned
      : secret
        ? requested === 'none'
          ? 'client_secret_basic'
          : requested
        : 'none';
  if (method !== 'none' && !secret) {
    throw new ClientError(
      'registration_failed',
      `registration returned ${method} without a client_secret`,
    );
  }
  return {
    clientId,
    clientSecret: secret,
    tokenEndpointAuthMethod: method,
    source: 'dynamic-registration',
    redirectUri,
  };
}
