import { type CryptoKey, importJWK, type JWK, type KeyObject, SignJWT } from 'jose';

/**
 * How the gateway authenticates itself at the token endpoint. There is no public-client
 * mode: an exchange by an unauthenticated party is exactly what RFC 8693 §5 warns against.
 *
 * @example
 * ```ts
 * const basic: GatewayClientAuth = { method: 'client_secret_basic', clientId: 'gateway', clientSecret };
 * const jwt: GatewayClientAuth = { method: 'private_key_jwt', clientId: 'gateway', privateKey, alg: 'ES256', kid: 'k1' };
 * ```
 * @see RFC 6749 §2.3.1 (client_secret_basic), RFC 7523 §2.2 and OpenID Connect Core §9 (private_key_jwt)
 */
export type GatewayClientAuth =
  | {
      readonly method: 'client_secret_basic';
      readonly clientId: string;
      readonly clientSecret: string;
    }
  | {
      readonly method: 'private_key_jwt';
      readonly clientId: string;
      /** The private key: a `CryptoKey`, a Node `KeyObject` or a private JWK. */
      readonly privateKey: CryptoKey | KeyObject | JWK;
      /** JWS algorithm of the assertion, e.g. `ES256`, `RS256`, `EdDSA`. */
      readonly alg: string;
      /** `kid` header, when the authorization server holds several keys of this client. */
      readonly kid?: string;
    };

/** RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding. */
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');

/**
 * Adds the client's authentication to a token request: an `Authorization: Basic` header,
 * or `client_assertion` (a fresh JWT with `aud` = the authorization server's issuer, a
 * unique `jti` and a 60-second lifetime) in the body.
 */
export async function authenticateClient(
  auth: GatewayClientAuth,
  issuer: string,
  headers: Headers,
  body: URLSearchParams,
): Promise<void> {
  if (auth.method === 'client_secret_basic') {
    const pair = `${formEncode(auth.clientId)}:${formEncode(auth.clientSecret)}`;
    headers.set('authorization', `Basic ${btoa(pair)}`);
    return;
  }
  const key =
    'kty' in auth.privateKey && typeof auth.privateKey.kty === 'string'
      ? await importJWK(auth.privateKey as JWK, auth.alg)
      : (auth.privateKey as CryptoKey | KeyObject);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: auth.alg, typ: 'JWT', ...(auth.kid ? { kid: auth.kid } : {}) })
    .setIssuer(auth.clientId)
    .setSubject(auth.clientId)
    .setAudience(issuer)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key);
  body.set('client_id', auth.clientId);
  body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  body.set('client_assertion', assertion);
}
