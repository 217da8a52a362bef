/**
 * How the client authenticates at the token endpoint.
 *
 * @see RFC 7591 §2 (token_endpoint_auth_method), RFC 7523 §2.2 (private_key_jwt), RFC 8705 §2
 */
export type TokenEndpointAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'none'
  | 'private_key_jwt'
  /** RFC 8705 §2.1: the client certificate (PKI), `client_id` in the form; needs `mtls`. */
  | 'tls_client_auth'
  /** RFC 8705 §2.2: a self-signed client certificate registered with the client; needs `mtls`. */
  | 'self_signed_tls_client_auth';

/**
 * A client registered out of band (rule 1 of the client identity order).
 *
 * @see MCP 2025-11-25 authorization (client registration approaches)
 */
export interface PreRegisteredClient {
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  /** Default: `private_key_jwt` with a key, else basic/post (whichever the AS supports) with a secret, else `none`. */
  readonly tokenEndpointAuthMethod?: TokenEndpointAuthMethod | undefined;
  /** For `private_key_jwt`: a PKCS#8 PEM string, a private JWK, or a CryptoKey. */
  readonly privateKey?: string | JsonWebKey | CryptoKey | undefined;
  /** JWS algorithm of client assertions. Default `ES256` (or the JWK's `alg`). */
  readonly signingAlgorithm?: string | undefined;
  /**
   * The issuer this client is registered with; its credentials are never sent to another.
   * Unset, `createAuthFetch` binds it to the first issuer it is used with.
   */
  readonly issuer?: string | undefined;
}

/** The client identity in use with one authorization server. */
export interface ClientIdentity extends PreRegisteredClient {
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Where the identity came from. */
  readonly source: 'pre-registered' | 'metadata-document' | 'dynamic-registration';
  /** For dynamically registered clients: the redirect URI registered. */
  readonly redirectUri?: string | undefined;
}

/**
 * Tokens from one authorization server for one resource.
 *
 * @see RFC 6749 §5.1
 */
export interface TokenSet {
  readonly accessToken: string;
  /** `Bearer`, or `DPoP` for a token bound to {@link TokenSet.dpopKey} (RFC 9449 §5). */
  readonly tokenType: string;
  /**
   * The key a DPoP token is bound to (non-extractable private key): every request with the
   * token carries a proof signed by it. Kept with the tokens, never sent.
   */
  readonly dpopKey?: CryptoKeyPair | undefined;
  /** Epoch milliseconds, when `expires_in` was given. */
  readonly expiresAt?: number | undefined;
  readonly refreshToken?: string | undefined;
  /** Granted scopes (the response's `scope`, else the scopes requested). */
  readonly scopes?: readonly string[] | undefined;
}
