import { listen, readBody } from './listen.js';

/** One request the token endpoint stand-in received. */
export interface TokenRequestRecord {
  /** The form body, parsed. */
  readonly form: URLSearchParams;
  /** Request headers (lower-case names). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** What the stand-in answers to one token request. */
export interface TokenEndpointAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A loopback stand-in of a cloud IdP's token endpoint (Keycloak, Auth0, Okta, WorkOS,
 * Entra): RFC 8414 metadata at `/.well-known/oauth-authorization-server` naming its own URL
 * as `issuer` and `/token` as `token_endpoint`, and a token endpoint that records each
 * request and answers whatever `answer` returns: the documented shape, which the test
 * cites. `answer` may also never settle (a hanging server).
 */
export interface TokenEndpointStandIn {
  /** The issuer (`http://127.0.0.1:<port>`). */
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly requests: TokenRequestRecord[];
  close(): Promise<void>;
}

/** How the stand-in publishes its metadata. */
export interface TokenEndpointStandInOptions {
  /**
   * `oauth` (default): RFC 8414 `/.well-known/oauth-authorization-server`; `openid`: only
   * OpenID discovery `/.well-known/openid-configuration` (Entra, Auth0), the other answering
   * an HTML 404.
   */
  readonly discovery?: 'oauth' | 'openid';
  /** Publish this `issuer` instead of the stand-in's own URL (a mix-up). */
  readonly claimedIssuer?: string;
}

/** Starts a {@link TokenEndpointStandIn}. */
export async function startTokenEndpointStandIn(
  answer: (request: TokenRequestRecord) => TokenEndpointAnswer | Promise<TokenEndpointAnswer>,
  options: TokenEndpointStandInOptions = {},
): Promise<TokenEndpointStandIn> {
  const metadataPath =
    options.discovery === 'openid'
      ? '/.well-known/openid-configuration'
      : '/.well-known/oauth-authorization-server';
  const requests: TokenRequestRecord[] = [];
  let issuer = '';
  const server = await listen(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === metadataPath) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer: options.claimedIssuer ?? issuer,
          token_endpoint: `${issuer}/token`,
        }),
      );
      return;
    }
    if (req.method === 'POST' && path === '/token') {
      const record = {
        form: new URLSearchParams(await readBody(req)),
        headers: { ...req.headers },
      };
      requests.push(record);
      const out = await answer(record);
      res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
      res.end(JSON.stringify(out.body));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
  });
  issuer = server.url;
  return { issuer, tokenEndpoint: `${issuer}/token`, requests, close: () => server.close() };
}
