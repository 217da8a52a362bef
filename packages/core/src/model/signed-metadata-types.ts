// The `signedMetadata` option's types: in model/ so that metadata/ (which signs) and
// server/ (which validates the configuration) both see them.

/**
 * A private signing key: a private JWK (with `d`), a Web Crypto `CryptoKey` of type
 * `private`, or (on Node.js) a `KeyObject` of type `private`.
 */
export type MetadataSigningKey =
  | (JsonWebKey & { readonly kid?: string })
  | CryptoKey
  | { readonly type: 'secret' | 'public' | 'private'; readonly asymmetricKeyType?: string };

/**
 * Asymmetric JWS algorithms the metadata may be signed with (RFC 7518 §3, RFC 8037).
 * `none` and HS* are not among them: a client must be able to check the signature with a
 * public key it was given out of band.
 */
export type MetadataSigningAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519';

/**
 * Signed metadata (RFC 9728 §2.2): the served document gets a `signed_metadata` member, a
 * JWS whose payload holds every other member plus `iss`, `iat` (and `exp` with
 * `lifetime`). Clients that trust `issuer`'s key use the signed values over the plain ones.
 *
 * The signature is made when the resource server is created (asynchronously; until it
 * exists, which takes milliseconds, the metadata is answered 503 with `Retry-After: 1`, never
 * unsigned) and, with `lifetime`, again once half of it has passed.
 *
 * @example
 * ```ts
 * const rs = createResourceServer({
 *   resource: 'https://api.example.com/mcp',
 *   authorizationServers: ['https://auth.example.com'],
 *   signedMetadata: {
 *     key: privateJwk, // { kty: 'EC', crv: 'P-256', x, y, d, kid: 'prm-2026-12' }
 *     alg: 'ES256',
 *     issuer: 'https://example.com',
 *     lifetime: 86_400,
 *     jwksPath: '/.well-known/prm-jwks.json',
 *   },
 * });
 * await rs.metadataReady(); // optional: the signed document is being served from now on
 * ```
 * @see RFC 9728 §2.2, §3.3, §7.9
 */
export interface SignedMetadataOptions {
  /** The private key. Its public half must reach clients out of band (see `jwksPath`). */
  readonly key: MetadataSigningKey;
  /** JWS `alg`, asymmetric only, suited to the key: RSA for RS256 and PS256, P-256 for ES256, Ed25519 for EdDSA. */
  readonly alg: MetadataSigningAlgorithm;
  /** The JWT `iss`: the party that vouches for the metadata (RFC 9728 §2.2, §7.9). An https URL. */
  readonly issuer: string;
  /** JWS `kid`. Default: the JWK's `kid`, when the key is a JWK that has one. */
  readonly kid?: string;
  /**
   * Seconds the signature is valid (`exp` = `iat` + lifetime). Default: no `exp`. At least
   * 60 and at least twice the `max-age` of `metadataCacheControl`, so no cache holds an
   * expired document; the document is re-signed once half the lifetime has passed.
   */
  readonly lifetime?: number;
  /**
   * Serve the public key as a JWKS at this path of the resource's origin and advertise it as
   * `jwks_uri` (replaces the `jwksUri` option). Clients must still be given the key (or
   * this URL) out of band: a key that the document itself names proves nothing.
   */
  readonly jwksPath?: string;
}
