import type { AuthorizeDecision } from '../model/authorize-types.js';
import type { FailureRateLimitOptions } from '../decide/rate-limit.js';
import type { PrmkitLogger } from '../model/logger.js';
import type { DpopOptions } from '../verify/dpop/dpop-options.js';
import type { MtlsOptions } from '../verify/mtls/mtls-options.js';
import type { SignatureBackend } from '../verify/token/signature-backend.js';
import type { KeyValueStore } from '../state/types.js';
import type { BearerMethod, TokenVerifier } from '../model/types.js';
import type { IntrospectionClientAuth } from '../verify/token/introspection-verifier.js';
import type { ActorPolicy } from '../verify/token/actor.js';

export type { BearerMethod, IntrospectionClientAuth };
import type { TokenProfile } from '../verify/token/claim-profile.js';
import type { SignedMetadataOptions } from '../model/signed-metadata-types.js';

/** Options of the built-in JWT access token verifier (RFC 9068, RFC 8725). */
export interface JwtOptions {
  /**
   * JWKS of the authorization server that signs access tokens. When absent, each
   * configured issuer's RFC 8414 (then OpenID) discovery document gives it (its `issuer`
   * must match exactly), and a token's keys come from the issuer named by its `iss`.
   */
  readonly jwksUri?: string;
  /**
   * Signing algorithms accepted. Default: RS256/384/512, PS256/384/512, ES256/384/512,
   * EdDSA, Ed25519. `none` is always refused; HS* only together with `secret`.
   */
  readonly algorithms?: readonly string[];
  /**
   * A symmetric key for HS256/384/512. Only set when your authorization server signs
   * access tokens with a shared secret; asymmetric keys are safer.
   */
  readonly secret?: string | Uint8Array;
  /**
   * Accepted `typ` header values. Default `['at+jwt']` (RFC 9068 §2.1). Add `'JWT'` for
   * authorization servers that do not issue RFC 9068 tokens: it accepts `typ: "JWT"` and
   * a missing `typ`.
   */
  readonly acceptedTypes?: readonly ('at+jwt' | 'JWT')[];
  /** Claims to read scopes from. Default `['scope']`; add `'scp'` for Entra ID / Okta. */
  readonly scopeClaims?: readonly ('scope' | 'scp')[];
  /**
   * What checks signatures: `webCryptoBackend` (the default of `@prmkit/core`, every
   * runtime) or `nodeCryptoBackend` (the default of `createResourceServer` from
   * `@prmkit/core/node`: node:crypto, several times faster). Both accept and refuse exactly
   * the same tokens.
   */
  readonly signatureBackend?: SignatureBackend;
}

/** Options of the RFC 7662 introspection verifier. */
export interface IntrospectionOptions {
  /** The introspection endpoint (https; http only with `allowHttp: 'loopback'`). */
  readonly endpoint: string;
  readonly clientAuth: IntrospectionClientAuth;
  /** Cache positive results for at most this many seconds (never past `exp`). Default 60. */
  readonly cacheMaxAge?: number;
}

/** Configuration of a protected resource. camelCase here, snake_case on the wire. */
export interface ResourceServerConfig {
  /**
   * The resource identifier (RFC 9728 §1.2, RFC 8707 §2): the exact URL clients use, e.g.
   * `https://api.example.com/mcp`. Used byte for byte in the metadata, the challenge and
   * the audience check; never derived from `Host` or `X-Forwarded-*`.
   */
  readonly resource: string;
  /** Issuer identifiers of the authorization servers (RFC 9728 §2). At least one. */
  readonly authorizationServers: readonly string[];
  /** Scopes advertised in the metadata (RFC 9728 §2 `scopes_supported`). */
  readonly scopesSupported?: readonly string[];
  /** Scopes every protected request needs (added to each `authorize` call's scopes). */
  readonly requiredScopes?: readonly string[];
  /**
   * MCP per-tool scopes: a `tools/call` for a tool named here also needs these scopes,
   * so clients can step up on 403 `insufficient_scope`.
   */
  readonly toolScopes?: Readonly<Record<string, readonly string[]>>;
  /**
   * General hook: scopes a parsed JSON-RPC message needs beyond the endpoint's. Called
   * for each message of a batch. Runs in addition to `toolScopes`.
   */
  readonly scopesForMessage?: (message: unknown) => readonly string[] | undefined;
  /** Default `['header']` (MCP forbids query tokens). */
  readonly bearerMethodsSupported?: readonly BearerMethod[];
  /**
   * The resource's own JWKS (RFC 9728 §2 `jwks_uri`, for signed resource responses).
   * Advertised only. The keys that verify access tokens are `jwt.jwksUri`.
   */
  readonly jwksUri?: string;
  readonly resourceSigningAlgValuesSupported?: readonly string[];
  readonly resourceName?: string;
  readonly resourceDocumentation?: string;
  readonly resourcePolicyUri?: string;
  readonly resourceTosUri?: string;
  /**
   * Advertised only (for a verifier of your own that enforces it); with `mtls` on it is
   * `true`, from `mtls`. Refused when nothing enforces it.
   */
  readonly tlsClientCertificateBoundAccessTokens?: boolean;
  readonly authorizationDetailsTypesSupported?: readonly string[];
  /** Advertised only; with `dpop` set, both DPoP members come from it instead. */
  readonly dpopSigningAlgValuesSupported?: readonly string[];
  readonly dpopBoundAccessTokensRequired?: boolean;
  /**
   * DPoP (RFC 9449): `{ mode: 'allowed' }` accepts DPoP-bound tokens with a proof next to
   * Bearer tokens, `{ mode: 'required' }` only those. Default off: DPoP-bound tokens are
   * refused. Proof `jti`s are remembered in `store` (which must then be a full `Store`).
   */
  readonly dpop?: DpopOptions;
  /**
   * Certificate-bound access tokens (RFC 8705 §3): `{ mode: 'allowed' }` checks a token's
   * `cnf["x5t#S256"]` against the client certificate (from the TLS connection, or a trusted
   * proxy's header), `{ mode: 'required' }` accepts only bound tokens. Default off:
   * certificate-bound tokens are refused.
   */
  readonly mtls?: MtlsOptions;
  /**
   * Sign the metadata (RFC 9728 §2.2 `signed_metadata`). See {@link SignedMetadataOptions}.
   */
  readonly signedMetadata?: SignedMetadataOptions;
  /** Extension members, written as given (snake_case names expected). */
  readonly extraMetadata?: Readonly<Record<string, unknown>>;
  /** `Cache-Control` of the metadata response. Default `public, max-age=3600`. */
  readonly metadataCacheControl?: string;
  /** Also serve the metadata at the root well-known URL. Default true. */
  readonly serveRootMetadata?: boolean;

  /**
   * Audience values accepted besides `resource`, for authorization servers that cannot put
   * the resource URL in `aud` (Entra ID `api://<app-id>`, an Auth0 API identifier). Each is
   * compared exactly; a decision accepted through one says so (`audienceAlias`). Default
   * none: the resource, exactly.
   */
  readonly audienceAliases?: readonly string[];
  /**
   * How this authorization server's tokens deviate from RFC 9068 (client id claim names,
   * claims it does not issue, tenant rules). Usually set by a `profiles.*` function.
   */
  readonly profile?: TokenProfile;

  /**
   * Delegated tokens (RFC 8693 token exchange): admit only tokens whose current actor
   * (the outermost `act`) is one of `allowed`, e.g. the client id of the gateway in front
   * of this resource. Checked by the JWT and introspection verifiers (not with `verifier`).
   * Default: any actor or none (the `act` chain is still read into `AuthInfo.actor`).
   */
  readonly actor?: ActorPolicy;

  /** JWT verification options (the default verifier). */
  readonly jwt?: JwtOptions;
  /** Verify opaque tokens through RFC 7662 introspection instead of as JWTs. */
  readonly introspection?: IntrospectionOptions;
  /** Your own verifier; replaces the JWT/introspection verifiers. */
  readonly verifier?: TokenVerifier;

  /** Seconds of clock skew allowed on `exp`, `nbf`, `iat`. Default 30. */
  readonly clockTolerance?: number;
  /** Tokens longer than this (characters) are refused before decoding. Default 8192. */
  readonly maxTokenLength?: number;
  /** Time budget for JWKS, discovery and introspection requests, ms. Default 5000. */
  readonly httpTimeout?: number;
  /** `fetch` used for JWKS, discovery and introspection. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /**
   * Allow `http:` URLs for loopback hosts (127.0.0.1, ::1, localhost) in `resource`,
   * issuers, `jwksUri` and the introspection endpoint. For local development and tests.
   */
  readonly allowHttp?: 'loopback';
  /**
   * Verified-token cache: a bounded LRU of successfully verified tokens, each served no
   * longer than its `exp` and `maxAge`. Default on for the built-in verifiers with
   * `maxEntries` 10,000 and `maxAge` 300 s; a custom `verifier` is cached only when this is
   * given as an object. Scopes are still checked on every request. With introspection, a
   * revoked token is noticed within `maxAge`. `false` turns it off.
   */
  readonly tokenCache?: false | { readonly maxEntries?: number; readonly maxAge?: number };
  /**
   * Shared state: where introspection answers are cached (and, with the features that need
   * them, DPoP proof identifiers and rate-limit counters, which take a full `Store` with
   * atomic operations). Default: an in-memory store per resource server. Give every
   * instance the same store (for example `createRedisStore` from `@prmkit/redis`) when
   * several run behind one URL.
   */
  readonly store?: KeyValueStore;
  /**
   * Called once per `authorize` with the outcome, its stable `reason` and the values
   * compared (see `AuthorizeDecision`). Never receives the token.
   */
  readonly onDecision?: (decision: AuthorizeDecision) => void;
  /**
   * Where prmkit logs (pino-compatible: `warn(fields, message)`, optional `debug`): a
   * warning on the first refusal that looks like a misconfiguration or an outage (then at
   * most once a minute per reason), every decision at debug level, one warning when
   * requests keep arriving for another `Host` than the `resource`'s. The Fastify and NestJS
   * adapters default to the framework's logger.
   */
  readonly logger?: PrmkitLogger;
  /**
   * Opt-in failure-only rate limiting: refusals per client address and per token, counted
   * on `store` (when it has `increment`; else an in-memory store). Over the limit, 429 with
   * `Retry-After`. Valid tokens are never counted or limited.
   */
  readonly rateLimit?: FailureRateLimitOptions;
}
