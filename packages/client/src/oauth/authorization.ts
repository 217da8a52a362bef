import { ClientError } from '../errors.js';
import type { AuthorizationServerMetadata } from '../metadata-types.js';
import { requireSafeUrl } from '../url-policy.js';
import type { AllowHttp, AllowPrivateNetwork } from '../url-policy.js';
import { pkceProblem } from '../validation/authorization-server-metadata.js';
import type { PkcePolicy } from '../validation/authorization-server-metadata.js';
import { throwFirstProblem } from '../validation/metadata-problem.js';
import { createPkce, randomToken } from './pkce.js';

export type { PkcePolicy } from '../validation/authorization-server-metadata.js';

/** Input of {@link createAuthorizationRequest}. */
export interface AuthorizationRequestInput {
  readonly metadata: AuthorizationServerMetadata;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes?: readonly string[] | undefined;
  /** RFC 8707 resource indicator; omitted only when undefined. */
  readonly resource?: string | undefined;
  readonly pkce?: PkcePolicy | undefined;
  readonly allowHttp?: AllowHttp;
  /** See `HttpPolicy.allowPrivateNetwork`. */
  readonly allowPrivateNetwork?: AllowPrivateNetwork;
}

/** A prepared authorization request: open `url`, keep the rest for the callback. */
export interface AuthorizationRequest {
  readonly url: URL;
  readonly state: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[] | undefined;
  readonly resource: string | undefined;
}

/**
 * Refuses an authorization server that does not support PKCE S256: throws
 * `ClientError('pkce_unsupported')` when `code_challenge_methods_supported` lacks `S256`,
 * or is absent and `policy` is not `'assume-s256'`.
 *
 * @example
 * ```ts
 * assertPkceS256(discovery.authorizationServerMetadata); // throws unless S256 is advertised
 * ```
 * @see OAuth 2.1 §4.1.1, RFC 7636 §4.2, MCP 2025-11-25 (authorization code protection)
 */
export function assertPkceS256(
  metadata: AuthorizationServerMetadata,
  policy: PkcePolicy = 'require-advertised',
): void {
  const problem = pkceProblem(metadata, policy);
  throwFirstProblem(problem ? [problem] : []);
}

/**
 * Builds an authorization code request with PKCE S256, a fresh `state` and the RFC 8707
 * `resource`.
 *
 * @example
 * ```ts
 * const req = await createAuthorizationRequest({ metadata, clientId, redirectUri, scopes: ['read'], resource });
 * await openAuthorizationUrl(req.url);
 * ```
 * @see OAuth 2.1 §4.1.1, RFC 7636 §4.3, RFC 8707 §2.1
 */
export async function createAuthorizationRequest(
  input: AuthorizationRequestInput,
): Promise<AuthorizationRequest> {
  assertPkceS256(input.metadata, input.pkce);
  const endpoint = requireSafeUrl(input.metadata.authorization_endpoint, 'authorization_endpoint', {
    allowHttp: input.allowHttp,
    allowPrivateNetwork: input.allowPrivateNetwork,
    source: 'handed-over',
  });
  const redirect = new URL(input.redirectUri);
  if (redirect.hash !== '')
    throw new ClientError('invalid_url', 'redirect URI must not contain a fragment');
  const pkce = await createPkce();
  const state = randomToken(32);
  const url = new URL(endpoint.href);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', pkce.challenge);
  url.searchParams.set('code_challenge_method', pkce.method);
  if (input.scopes && input.scopes.length > 0)
    url.searchParams.set('scope', input.scopes.join(' '));
  if (input.resource !== undefined) url.searchParams.set('resource', input.resource);
  return {
    url,
    state,
    codeVerifier: pkce.verifier,
    redirectUri: input.redirectUri,
    scopes: input.scopes,
    resource: input.resource,
  };
}

/**
 * Validates the authorization response (the redirect URI the browser landed on): the
 * RFC 9207 `iss` first (required when the server advertises it, always compared exactly),
 * then `state`, then `error`, then `code`.
 *
 * @example
 * ```ts
 * const { code } = parseAuthorizationResponse(callbackUrl, { state: req.state, issuer, metadata });
 * ```
 * @see RFC 9207 §2.4, OAuth 2.1 §4.1.2, §4.1.2.1, §7.12 (mix-up)
 */
export function parseAuthorizationResponse(
  callback: string | URL,
  expected: {
    readonly state: string;
    readonly issuer: string;
    readonly metadata: AuthorizationServerMetadata;
  },
): { code: string } {
  let url: URL;
  try {
    url = new URL(callback);
  } catch (cause) {
    throw new ClientError('authorization_response_invalid', 'authorization response is not a URL', {
      cause,
    });
  }
  // Some servers answer in the fragment; read it when the query is empty.
  const params =
    url.search === '' && url.hash.length > 1
      ? new URLSearchParams(url.hash.slice(1))
      : url.searchParams;
  const iss = params.get('iss');
  if (iss !== null) {
    if (iss !== expected.issuer) {
      throw new ClientError(
        'iss_mismatch',
        `authorization response iss "${iss}" is not the expected issuer "${expected.issuer}" (RFC 9207)`,
      );
    }
  } else if (expected.metadata.authorization_response_iss_parameter_supported === true) {
    throw new ClientError(
      'iss_missing',
      'authorization response lacks the iss parameter its server advertises (RFC 9207)',
    );
  }
  if (params.get('state') !== expected.state) {
    throw new ClientError(
      'state_mismatch',
      'authorization response state does not match the request',
    );
  }
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    throw new ClientError(
      'authorization_denied',
      `authorization failed: ${error}${description ? `: ${description}` : ''}`,
      {
        oauthError: error,
      },
    );
  }
  const code = params.get('code');
  if (!code)
    throw new ClientError('authorization_response_invalid', 'authorization response has no code');
  return { code };
}
