import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTHeaderParameters } from 'jose';
import type { RunningAuthorizationServer } from '@prmkit/authorization-server';

export const REDIRECT_URI = 'http://127.0.0.1:53117/callback';
export const RESOURCE = 'http://localhost:3000/mcp';

/** A minimal cookie jar: enough for oidc-provider's interaction and session cookies. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', val = ''] = attribute.split('=');
        const k = key.trim().toLowerCase();
        return (
          (k === 'expires' && Date.parse(val) <= Date.now()) ||
          (k === 'max-age' && Number(val) <= 0)
        );
      });
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function metadata(as: RunningAuthorizationServer): Promise<Record<string, unknown>> {
  const response = await fetch(as.metadataUrl);
  if (!response.ok) throw new Error(`metadata: ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

export async function endpoint(as: RunningAuthorizationServer, name: string): Promise<string> {
  const value = (await metadata(as))[name];
  if (typeof value !== 'string') throw new Error(`metadata has no ${name}`);
  return value;
}

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  [key: string]: unknown;
}

export async function register(
  as: RunningAuthorizationServer,
  body: Record<string, unknown>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(await endpoint(as, 'registration_endpoint'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

export async function registerPublicClient(
  as: RunningAuthorizationServer,
): Promise<RegisteredClient> {
  const { status, json } = await register(as, {
    client_name: 'Test MCP client',
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    application_type: 'native',
  });
  if (status !== 201) throw new Error(`registration failed: ${status} ${JSON.stringify(json)}`);
  return json as RegisteredClient;
}

/**
 * Sends the user agent through the authorization endpoint, following redirects by hand
 * with a cookie jar, until the AS redirects to the client's redirect URI (never fetched).
 */
export async function authorize(
  as: RunningAuthorizationServer,
  params: Record<string, string | string[]>,
  jar = new CookieJar(),
): Promise<URL> {
  const url = new URL(await endpoint(as, 'authorization_endpoint'));
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, item);
  }
  let next = url.href;
  for (let hop = 0; hop < 12; hop += 1) {
    if (!next.startsWith(as.url)) return new URL(next);
    const response = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) {
      throw new Error(
        `authorization stopped at ${next}: ${response.status} ${await response.text()}`,
      );
    }
    next = new URL(location, next).href;
  }
  throw new Error('too many redirects');
}

export async function token(
  as: RunningAuthorizationServer,
  params: Record<string, string>,
  auth?: { id: string; secret: string },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth)
    headers.authorization = `Basic ${Buffer.from(`${auth.id}:${auth.secret}`).toString('base64')}`;
  const response = await fetch(await endpoint(as, 'token_endpoint'), {
    method: 'POST',
    headers,
    body: new URLSearchParams(params),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Verifies an access token the way a resource server would: served JWKS, exact iss and aud. */
export async function verifyAccessToken(
  as: RunningAuthorizationServer,
  accessToken: unknown,
  audience: string,
): Promise<{ payload: JWTPayload; protectedHeader: JWTHeaderParameters }> {
  if (typeof accessToken !== 'string') throw new Error('no access token');
  const jwks = createRemoteJWKSet(new URL(await endpoint(as, 'jwks_uri')));
  return jwtVerify(accessToken, jwks, {
    issuer: as.issuer,
    audience,
    typ: 'at+jwt',
    algorithms: ['RS256'],
  });
}

/** Runs the whole code flow for a public client; returns the token response. */
export async function codeFlow(
  as: RunningAuthorizationServer,
  client: RegisteredClient,
  options: { scope?: string; resource?: string } = {},
): Promise<Record<string, unknown>> {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const callback = await authorize(as, {
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: REDIRECT_URI,
    scope: options.scope ?? 'mcp:tools',
    resource: options.resource ?? RESOURCE,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  const code = callback.searchParams.get('code');
  if (code === null || callback.searchParams.get('state') !== state) {
    throw new Error(`no code in ${callback.href}`);
  }
  const { status, json } = await token(as, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    client_id: client.client_id,
    resource: options.resource ?? RESOURCE,
  });
  if (status !== 200) throw new Error(`token: ${status} ${JSON.stringify(json)}`);
  return json;
}
