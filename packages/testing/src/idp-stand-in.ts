import { createTestIssuer, type MintOptions, type TestIssuer } from './issuer.js';
import { listen, readBody, type Listening } from './listen.js';

/**
 * A stand-in for a cloud IdP's signing keys: a real key pair whose JWKS is served over
 * loopback HTTP, and a `fetch` that answers the IdP's documented JWKS URLs from it (any
 * other URL is refused, so a profile pointing at the wrong key set fails its test). Tokens
 * are minted with the headers and claims each IdP documents; the tests cite the page.
 */
export interface IdpKeysStandIn {
  /** `fetch` for the resource server: documented JWKS URL → the loopback JWKS. */
  readonly fetch: typeof fetch;
  /** JWKS URLs requested so far. */
  readonly requested: string[];
  /** Signs a token with exactly these claims (no defaults added) and header options. */
  mint(claims: Record<string, unknown>, opts?: MintOptions): Promise<string>;
  readonly issuer: TestIssuer;
  close(): Promise<void>;
}

/** Starts an {@link IdpKeysStandIn} answering `jwksUrls`. Default RS256 keys. */
export async function createIdpKeysStandIn(
  jwksUrls: readonly string[],
  options: { readonly alg?: string } = {},
): Promise<IdpKeysStandIn> {
  const issuer = await createTestIssuer({ alg: options.alg ?? 'RS256' });
  const requested: string[] = [];
  const standInFetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    requested.push(url);
    if (!jwksUrls.includes(url)) throw new TypeError(`stand-in: no route for ${url}`);
    return globalThis.fetch(issuer.jwksUri, init);
  };
  // The test issuer adds iss/sub/client_id/iat/exp/jti defaults; an IdP token has exactly
  // the claims its documentation shows, so every default is removed unless given.
  const none = {
    iss: undefined,
    sub: undefined,
    client_id: undefined,
    iat: undefined,
    exp: undefined,
    jti: undefined,
  };
  return {
    fetch: standInFetch,
    requested,
    mint: (claims, opts) => issuer.mint({ ...none, ...claims }, opts),
    issuer,
    close: () => issuer.close(),
  };
}

/** A recorded request to an opaque-token stand-in. */
export interface OpaqueLookup {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * A loopback stand-in of an opaque-token endpoint (Google token-info, GitHub user API):
 * `answers` maps a token to the documented response for it (status, JSON body, headers);
 * an unknown token gets the documented refusal (`unknown`).
 */
export interface OpaqueTokenStandIn {
  readonly url: string;
  readonly lookups: OpaqueLookup[];
  close(): Promise<void>;
}

export interface OpaqueAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Starts an {@link OpaqueTokenStandIn}; `tokenOf` says where the token is in a request. */
export async function createOpaqueTokenStandIn(options: {
  readonly path: string;
  readonly tokenOf: (lookup: OpaqueLookup) => string | undefined;
  readonly answers: ReadonlyMap<string, OpaqueAnswer>;
  readonly unknown: OpaqueAnswer;
}): Promise<OpaqueTokenStandIn> {
  const lookups: OpaqueLookup[] = [];
  const server: Listening = await listen(async (req, res) => {
    const lookup: OpaqueLookup = {
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0] ?? '',
      headers: req.headers,
      body: await readBody(req),
    };
    lookups.push(lookup);
    const token = lookup.path === options.path ? options.tokenOf(lookup) : undefined;
    const answer = (token !== undefined && options.answers.get(token)) || options.unknown;
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      ...answer.headers,
    });
    res.end(JSON.stringify(answer.body));
  });
  return { url: `${server.url}${options.path}`, lookups, close: () => server.close() };
}

/**
 * Google's token-info endpoint (POST form `access_token`), answering with the documented
 * shape: string `exp` and `expires_in`, `aud` and `azp` the OAuth client id, `sub`, `scope`.
 * Unknown tokens: 400 `{"error": "invalid_token", "error_description": "Invalid Value"}`.
 *
 * @see https://developers.google.com/identity/sign-in/web/backend-auth (token-info responses)
 */
export function startGoogleTokenInfo(
  answers: ReadonlyMap<string, OpaqueAnswer>,
): Promise<OpaqueTokenStandIn> {
  return createOpaqueTokenStandIn({
    path: '/tokeninfo',
    tokenOf: (l) =>
      l.method === 'POST' &&
      String(l.headers['content-type']).startsWith('application/x-www-form-urlencoded')
        ? (new URLSearchParams(l.body).get('access_token') ?? undefined)
        : undefined,
    answers,
    unknown: { status: 400, body: { error: 'invalid_token', error_description: 'Invalid Value' } },
  });
}

/**
 * GitHub's `GET /user` (Bearer token): the user object, scopes in `X-OAuth-Scopes`. Unknown
 * tokens: 401 `{"message": "Bad credentials", ...}`.
 *
 * @see https://docs.github.com/en/rest/users/users#get-the-authenticated-user
 */
export function startGithubUserApi(
  answers: ReadonlyMap<string, OpaqueAnswer>,
): Promise<OpaqueTokenStandIn> {
  return createOpaqueTokenStandIn({
    path: '/user',
    tokenOf: (l) => {
      const auth = l.headers.authorization;
      return l.method === 'GET' && typeof auth === 'string' && auth.startsWith('Bearer ')
        ? auth.slice(7)
        : undefined;
    },
    answers,
    unknown: {
      status: 401,
      body: {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      },
    },
  });
}
