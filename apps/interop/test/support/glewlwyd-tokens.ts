import { createHash, randomBytes } from 'node:crypto';
import { glewlwydLogin, type RunningGlewlwyd } from '@prmkit/interop';

/** A token endpoint answer: status and parsed body (empty object for Glewlwyd's empty bodies). */
export interface TokenAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

async function post(
  url: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<TokenAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

export const basic = (id: string, secret: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
});

/** Authorization code + PKCE S256 + RFC 8707 resource for Glewlwyd's public client, by hand. */
export async function glewlwydCodeFlow(
  glewlwyd: RunningGlewlwyd,
  options: { readonly redirectUri: string; readonly scope: string; readonly resource: string },
): Promise<TokenAnswer> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const authorize = new URL(`${glewlwyd.issuer}/auth`);
  for (const [key, value] of Object.entries({
    response_type: 'code',
    client_id: glewlwyd.publicClient.clientId,
    redirect_uri: options.redirectUri,
    scope: options.scope,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource: options.resource,
  }))
    authorize.searchParams.set(key, value);
  const callback = new URL(await glewlwydLogin(glewlwyd)(authorize));
  const code = callback.searchParams.get('code');
  if (code === null || callback.searchParams.get('state') !== state)
    throw new Error(`no code in ${callback.href}`);
  return post(`${glewlwyd.issuer}/token`, {
    grant_type: 'authorization_code',
    client_id: glewlwyd.publicClient.clientId,
    redirect_uri: options.redirectUri,
    code,
    code_verifier: verifier,
    resource: options.resource,
  });
}

/** client_credentials for one of Glewlwyd's confidential clients (HTTP Basic). */
export function glewlwydClientCredentials(
  glewlwyd: RunningGlewlwyd,
  client: { readonly clientId: string; readonly clientSecret: string },
  params: { readonly scope: string; readonly resource?: string },
): Promise<TokenAnswer> {
  return post(
    `${glewlwyd.issuer}/token`,
    {
      grant_type: 'client_credentials',
      scope: params.scope,
      ...(params.resource === undefined ? {} : { resource: params.resource }),
    },
    basic(client.clientId, client.clientSecret),
  );
}

/** RFC 7009 revocation, authenticated as the resource server (Bearer token with `introspect`). */
export async function glewlwydRevoke(
  glewlwyd: RunningGlewlwyd,
  token: string,
  bearer: string,
): Promise<number> {
  const answer = await post(
    `${glewlwyd.issuer}/revoke`,
    { token, token_type_hint: 'access_token' },
    { authorization: `Bearer ${bearer}` },
  );
  return answer.status;
}
