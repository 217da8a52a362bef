import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT, base64url, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import type { JWK } from 'jose';
import { listen, readBody } from './listen.js';

/** How the JWKS endpoint behaves; lets tests exercise fail-closed paths. */
export type JwksMode = 'ok' | 'down' | 'hang' | 'error500' | 'garbage';

/** Which discovery documents the issuer serves. */
export type MetadataKind = 'oauth-authorization-server' | 'openid-configuration';

export interface TestIssuerOptions {
  /** Path appended to the origin to form the issuer, e.g. `/tenant`. */
  readonly path?: string;
  /** Signing algorithm of the generated keys. Default `RS256`. */
  readonly alg?: string;
  /** Default `aud` of minted tokens (normally the resource under test). */
  readonly audience?: string | readonly string[];
  /** Default `scope` of minted tokens (space-delimited). */
  readonly scope?: string;
  /**
   * Members merged over both discovery documents; a value of `undefined` removes the
   * member. For broken-metadata tests (`{ issuer: 'https://evil' }`, `{ jwks_uri: undefined }`).
   */
  readonly metadataOverrides?: Readonly<Record<string, unknown>>;
  /** Discovery documents served. Default both. */
  readonly metadata?: readonly MetadataKind[];
}

export interface MintOptions {
  /** Header `alg`. Default the issuer's algorithm. `'none'` builds an unsigned token. */
  readonly alg?: string;
  /** Header `typ`. Default `at+jwt`; `null` omits it. */
  readonly typ?: string | null;
  /** Header `kid`. Default the current key's kid; `null` omits it. */
  readonly kid?: string | null;
  /** Extra protected header members (`jku`, `jwk`, `x5u`, ...). */
  readonly header?: Readonly<Record<string, unknown>>;
  /**
   * Signing key. `'current'` (default) is in the JWKS; `'other'` is a key of the same
   * type that is NOT in the JWKS (still labelled with the current kid unless `kid` is
   * given, so it models a forged signature). A `Uint8Array` is an HMAC secret.
   */
  readonly key?: 'current' | 'other' | CryptoKey | Uint8Array;
}

export interface RecordedRequest {
  readonly path: string;
  /** `Date.now()` when received. */
  readonly at: number;
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Request body as text (empty for GET). */
  readonly body: string;
}

export interface TestIssuer {
  /** `http://127.0.0.1:<port>` plus `options.path`. */
  readonly issuer: string;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** `${origin}/jwks` */
  readonly jwksUri: string;
  /** `${origin}/introspect`: RFC 7662 endpoint that accepts tokens this issuer minted. */
  readonly introspectionEndpoint: string;
  /** Signs an access token. See {@link MintOptions}; claims set to `undefined` are removed. */
  mint(claims?: Record<string, unknown>, opts?: MintOptions): Promise<string>;
  /** New current key; the JWKS then serves only the new key. */
  rotateKey(): Promise<void>;
  setJwksMode(mode: JwksMode): void;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Public JWK of the current key (with `kid`, `alg`, `use`). */
  readonly publicJwk: JsonWebKey;
  /** Private key of the current key. */
  readonly privateKey: CryptoKey;
  /** Public key of the current key. */
  readonly publicKey: CryptoKey;
  /** Current kid. */
  readonly kid: string;
  readonly alg: string;
  close(): Promise<void>;
}

interface KeyEntry {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

let kidCounter = 0;

async function newKey(alg: string): Promise<KeyEntry> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  kidCounter += 1;
  const kid = `test-key-${kidCounter}-${Math.random().toString(36).slice(2, 8)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, privateKey, publicKey, publicJwk };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function withoutUndefined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

/**
 * Starts a real authorization-server stand-in on loopback: keys, JWKS, RFC 8414 and
 * OpenID discovery documents, an RFC 7662 endpoint, and `mint()` for jose-signed tokens.
 *
 * @example
 * ```ts
 * const as = await createTestIssuer({ audience: 'http://127.0.0.1:3000/mcp', scope: 'read' });
 * const token = await as.mint({ scope: 'read write' });
 * await as.close();
 * ```
 * @see RFC 9068 §2, RFC 8414 §3, RFC 7517 §5
 */
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const alg = options.alg ?? 'RS256';
  let current = await newKey(alg);
  let other: KeyEntry | undefined;
  let mode: JwksMode = 'ok';
  const requests: RecordedRequest[] = [];
  const served = new Set<MetadataKind>(
    options.metadata ?? ['oauth-authorization-server', 'openid-configuration'],
  );
  const issuerPath = (options.path ?? '').replace(/\/+$/, '');

  // Filled in once the port is known.
  let origin = '';
  let issuer = '';

  const metadataDocument = (): Record<string, unknown> =>
    withoutUndefined({
      issuer,
      jwks_uri: `${origin}/jwks`,
      authorization_endpoint: `${origin}/authorize`,
      token_endpoint: `${origin}/token`,
      introspection_endpoint: `${origin}/introspect`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      ...options.metadataOverrides,
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    requests.push({
      path: url.pathname,
      at: Date.now(),
      method: req.method ?? 'GET',
      headers: { ...req.headers },
      body,
    });
    const path = url.pathname;

    if (path === '/jwks') {
      switch (mode) {
        case 'down':
          req.socket.destroy();
          return;
        case 'hang':
          return; // never answered; close() drops the connection
        case 'error500':
          json(res, 500, { error: 'server_error' });
          return;
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('<html>not a key set');
          return;
        case 'ok':
          json(res, 200, { keys: [current.publicJwk] });
          return;
      }
    }
    const oauthPath = `/.well-known/oauth-authorization-server${issuerPath}`;
    const openidPath = `${issuerPath}/.well-known/openid-configuration`;
    if (path === oauthPath && served.has('oauth-authorization-server')) {
      json(res, 200, metadataDocument());
      return;
    }
    if (path === openidPath && served.has('openid-configuration')) {
      json(res, 200, metadataDocument());
      return;
    }
    if (path === '/introspect' && req.method === 'POST') {
      const token = new URLSearchParams(body).get('token') ?? '';
      try {
        const { payload } = await jwtVerify(token, current.publicKey, { issuer });
        json(res, 200, { ...payload, active: true, token_type: 'Bearer' });
      } catch {
        json(res, 200, { active: false });
      }
      return;
    }
    json(res, 404, { error: 'not_found' });
  };

  const server = await listen(handle);
  origin = server.url;
  issuer = `${origin}${issuerPath}`;

  const mint = async (
    claims: Record<string, unknown> = {},
    opts: MintOptions = {},
  ): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const payload = withoutUndefined({
      iss: issuer,
      sub: 'user-123',
      client_id: 'client-abc',
      iat: now,
      exp: now + 3600,
      ...(options.scope !== undefined ? { scope: options.scope } : {}),
      ...(options.audience !== undefined
        ? { aud: typeof options.audience === 'string' ? options.audience : [...options.audience] }
        : {}),
      jti: crypto.randomUUID(),
      ...claims,
    });
    const headerAlg = opts.alg ?? alg;
    const header = withoutUndefined({
      alg: headerAlg,
      typ: opts.typ === undefined ? 'at+jwt' : (opts.typ ?? undefined),
      kid: opts.kid === undefined ? current.kid : (opts.kid ?? undefined),
      ...opts.header,
    });
    if (headerAlg === 'none') {
      const enc = (v: unknown): string => base64url.encode(JSON.stringify(v));
      return `${enc(header)}.${enc(payload)}.`;
    }
    let key: CryptoKey | Uint8Array;
    if (opts.key === undefined || opts.key === 'current') key = current.privateKey;
    else if (opts.key === 'other') {
      other ??= await newKey(alg);
      key = other.privateKey;
    } else key = opts.key;
    // jose fills `alg` itself; pass the rest as given (tests need odd headers).
    return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key);
  };

  return {
    get issuer() {
      return issuer;
    },
    origin,
    jwksUri: `${origin}/jwks`,
    introspectionEndpoint: `${origin}/introspect`,
    mint,
    async rotateKey() {
      current = await newKey(alg);
    },
    setJwksMode(next: JwksMode) {
      mode = next;
    },
    requests,
    get publicJwk() {
      return current.publicJwk as JsonWebKey;
    },
    get privateKey() {
      return current.privateKey;
    },
    get publicKey() {
      return current.publicKey;
    },
    get kid() {
      return current.kid;
    },
    alg,
    close: () => server.close(),
  };
}
