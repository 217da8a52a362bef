import { errors } from 'jose';
import type { JWSHeaderParameters } from 'jose';
import { PrmkitConfigError, PrmkitError, TokenError, UpstreamError } from '../../model/errors.js';
import type { ConfigIssue } from '../../model/errors.js';
import type { AuthInfo, TokenVerifier, VerifyContext } from '../../model/types.js';
import { isSecureUrl, tryParseUrl } from '../../util/url.js';
import { validateAccessTokenClaims } from './claims.js';
import { type ConfirmationMethod, refuseUncheckedBinding } from '../confirmation.js';
import { createJwksUriDiscovery } from './discovery.js';
import { algorithmProblems, DEFAULT_JWT_ALGORITHMS, HMAC_ALGORITHMS } from './algorithms.js';
import { decodeBase64url, isCanonicalBase64url } from '../../util/base64url.js';
import { isJsonObject } from './http.js';
import { createRemoteKeySet } from './jwks.js';
import type { KeyResolver } from './jwks.js';
import { jwsAlgorithm } from './jws-algorithm.js';
import type { JwsAlgorithm } from './jws-algorithm.js';
import { issuerAccepted } from './claim-profile.js';
import type { ProfileClaimRules } from './claim-profile.js';
import { checkSignature } from './jws-signature.js';
import { webCryptoBackend } from './signature-backend.js';
import type { SignatureBackend } from './signature-backend.js';

/** Options of {@link createJwtVerifier}. */
export interface JwtVerifierOptions extends ProfileClaimRules {
  /** The resource identifier; `aud` must contain it exactly. */
  readonly resource: string;
  /** Accepted issuers, compared exactly; also where keys are discovered when `jwksUri` is absent. */
  readonly issuers: readonly string[];
  /** JWKS URL. When absent, each issuer's RFC 8414 (then OpenID) metadata gives it. */
  readonly jwksUri?: string;
  /** Allowed `alg` values. Default {@link DEFAULT_JWT_ALGORITHMS}; with `secret`, HS256/384/512. */
  readonly algorithms?: readonly string[];
  /** Symmetric key for HS*; when set, only HS* algorithms are accepted and no JWKS is used. */
  readonly secret?: string | Uint8Array;
  /** Accepted `typ` values. Default `['at+jwt']`; `'JWT'` also accepts a missing `typ`. */
  readonly acceptedTypes?: readonly ('at+jwt' | 'JWT')[];
  /** Claims scopes are read from. Default `['scope']`. */
  readonly scopeClaims?: readonly ('scope' | 'scp')[];
  /** Seconds of clock skew allowed on `exp`, `nbf`, `iat`. */
  readonly clockTolerance: number;
  /** Time budget of JWKS and discovery requests, ms. */
  readonly timeout: number;
  readonly fetch: typeof fetch;
  /** Allow http JWKS/discovery URLs on loopback hosts. */
  readonly allowHttp?: 'loopback';
  /** Least time between two JWKS refreshes caused by an unknown `kid`, ms. Default 30 000. */
  readonly jwksCooldown?: number;
  /** After a failed JWKS fetch, no new one for this long, ms (503 meanwhile). Default 5 000. */
  readonly jwksFailureCooldown?: number;
  /** JWKS cache lifetime, ms. Default 600 000. */
  readonly jwksCacheMaxAge?: number;
  /** After a failed discovery, wait this long before asking the issuer again, ms. Default 10 000. */
  readonly discoveryCooldown?: number;
  /**
   * Checks signatures. Default {@link webCryptoBackend}; `nodeCryptoBackend` from
   * `@prmkit/core/node` is faster on Node. Decisions are the same with either.
   */
  readonly signatureBackend?: SignatureBackend;
  /** Current time in seconds (tests). */
  readonly now?: () => number;
  /**
   * The `cnf` bindings `authorize` checks against the request (`jkt` with DPoP on,
   * `x5t#S256` with mTLS on); a token bound any other way is refused as a bearer token
   * (RFC 9449 §7.2, RFC 8705 §3). Default none.
   */
  readonly checkedBindings?: readonly ConfirmationMethod[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function normalizeType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

function validateOptions(opts: JwtVerifierOptions): readonly string[] {
  const issues: ConfigIssue[] = [];
  if (opts.issuers.length === 0)
    issues.push({ path: 'authorizationServers', message: 'at least one issuer is required' });
  const hasSecret = opts.secret !== undefined;
  if (
    hasSecret &&
    (typeof opts.secret === 'string' ? opts.secret.length : opts.secret!.byteLength) === 0
  ) {
    issues.push({ path: 'jwt.secret', message: 'must not be empty' });
  }
  const algorithms = opts.algorithms ?? (hasSecret ? HMAC_ALGORITHMS : DEFAULT_JWT_ALGORITHMS);
  if (algorithms.length === 0)
    issues.push({ path: 'jwt.algorithms', message: 'at least one algorithm is required' });
  for (const problem of algorithmProblems(algorithms, hasSecret)) {
    issues.push({ path: `jwt.algorithms.${problem.index}`, message: problem.message });
  }
  if (opts.jwksUri !== undefined) {
    const url = tryParseUrl(opts.jwksUri);
    if (!url || !isSecureUrl(url, opts.allowHttp)) {
      issues.push({
        path: 'jwt.jwksUri',
        message: 'must be an https URL (http only on loopback with allowHttp)',
      });
    }
  }
  if (issues.length > 0) throw new PrmkitConfigError(issues);
  return algorithms;
}

/** Maps anything key resolution throws that is not already a prmkit error. */
function mapKeyError(error: unknown): PrmkitError {
  if (error instanceof PrmkitError) return error;
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new TokenError('algorithm_not_allowed', 'the token algorithm is not allowed', {
      cause: error,
    });
  }
  return new TokenError('signature_invalid', 'the token signature could not be verified', {
    cause: error,
  });
}

function malformed(what: string): TokenError {
  return new TokenError('token_malformed', `the token ${what} is not canonical base64url`);
}

/**
 * Verifies RFC 9068 JWT access tokens, in an order that never trusts the token before it
 * has to:
 *
 * 1. decode the protected header (`token_malformed`);
 * 2. `alg` in the allow-list; `none` never, HS* only with `secret` (`algorithm_not_allowed`);
 * 3. `typ` in `acceptedTypes`, case-insensitive, `application/` prefix optional
 *    (`type_not_allowed`);
 * 4. the unverified `iss` names a configured issuer, before any network request
 *    (`issuer_mismatch`);
 * 5. the signature, with a key from that issuer's JWKS only (`jku`, `x5u`, `jwk`, `x5c`
 *    are ignored) (`signature_invalid`, `key_not_found`, `jwks_unavailable`);
 * 6. the claims, by {@link validateAccessTokenClaims}; a sender-constrained token (`cnf`)
 *    is refused, since no DPoP or mTLS proof is checked here (`claim_invalid`).
 *
 * No jose error escapes: everything is a `TokenError` or an `UpstreamError`.
 *
 * @example
 * ```ts
 * const verifier = createJwtVerifier({
 *   resource: 'https://api.example.com/mcp',
 *   issuers: ['https://as.example.com'],
 *   clockTolerance: 30,
 *   timeout: 5000,
 *   fetch,
 * });
 * const auth = await verifier.verify(token);
 * ```
 * @see RFC 9068 §4, RFC 8725 §3.1 (algorithm allow-list) and §3.11 (explicit typing),
 *   RFC 7515 §4.1.2 (`jku`, not trusted)
 */
export function createJwtVerifier(opts: JwtVerifierOptions): TokenVerifier {
  const algorithms = validateOptions(opts);
  const acceptedTypes = (opts.acceptedTypes ?? ['at+jwt']).map(normalizeType);
  const allowMissingType = acceptedTypes.includes('jwt');
  const scopeClaims = opts.scopeClaims ?? ['scope'];
  const secret =
    opts.secret === undefined
      ? undefined
      : typeof opts.secret === 'string'
        ? new TextEncoder().encode(opts.secret)
        : opts.secret;

  const keySets = new Map<string, KeyResolver>();
  const keySetFor = (jwksUri: string): KeyResolver => {
    let set = keySets.get(jwksUri);
    if (!set) {
      set = createRemoteKeySet(jwksUri, {
        fetch: opts.fetch,
        timeout: opts.timeout,
        cooldown: opts.jwksCooldown,
        failureCooldown: opts.jwksFailureCooldown,
        cacheMaxAge: opts.jwksCacheMaxAge,
      });
      keySets.set(jwksUri, set);
    }
    return set;
  };
  const discoverJwksUri = createJwksUriDiscovery({
    fetch: opts.fetch,
    timeout: opts.timeout,
    allowHttp: opts.allowHttp,
    failureCooldown: opts.discoveryCooldown,
  });

  const backend = opts.signatureBackend ?? webCryptoBackend;
  const decode = backend.decodeBase64url?.bind(backend) ?? decodeBase64url;
  // HMAC keys are imported once per algorithm, on first use.
  const secretKeys = new Map<string, Promise<CryptoKey>>();
  const secretKeyFor = (entry: JwsAlgorithm, raw: Uint8Array): Promise<CryptoKey> => {
    let key = secretKeys.get(entry.alg);
    if (!key) {
      key = crypto.subtle.importKey(
        'raw',
        raw as Uint8Array<ArrayBuffer>,
        { name: 'HMAC', hash: entry.hash ?? 'SHA-256' },
        false,
        ['verify'],
      );
      secretKeys.set(entry.alg, key);
    }
    return key;
  };

  /** Decodes one canonical base64url JSON object segment (header or payload). */
  const decodeJson = (segment: string): unknown => {
    if (!isCanonicalBase64url(segment)) return undefined;
    try {
      return JSON.parse(utf8.decode(decode(segment)));
    } catch {
      return undefined;
    }
  };

  // The last header that passed, by its exact segment: an issuer's tokens share one
  // protected header (alg, kid, typ), so most tokens skip decoding and checking it again.
  let lastHeaderSegment = '';
  let lastHeader: (JWSHeaderParameters & { alg: string }) | undefined;
  const checkHeader = (segment: string): JWSHeaderParameters & { alg: string } => {
    if (segment === lastHeaderSegment && lastHeader !== undefined) return lastHeader;
    const checked = checkNewHeader(segment);
    lastHeaderSegment = segment;
    lastHeader = Object.freeze(checked);
    return lastHeader;
  };
  const checkNewHeader = (segment: string): JWSHeaderParameters & { alg: string } => {
    const header = decodeJson(segment);
    if (!isJsonObject(header)) {
      throw new TokenError(
        'token_malformed',
        'the token is not a JWT (its header cannot be decoded)',
      );
    }
    // JWTs never use RFC 7797 unencoded payloads or critical extensions; refusing them also
    // keeps the decoded payload identical to the signed one.
    if (header.b64 !== undefined || header.crit !== undefined) {
      throw new TokenError(
        'token_malformed',
        'the token uses JWS extensions (b64/crit) that access tokens never use',
      );
    }
    const alg = header.alg;
    if (typeof alg !== 'string' || alg.toLowerCase() === 'none' || !algorithms.includes(alg)) {
      throw new TokenError(
        'algorithm_not_allowed',
        `the token algorithm ${typeof alg === 'string' ? JSON.stringify(alg) : '(missing)'} is not allowed (jwt.algorithms)`,
      );
    }
    const typ = header.typ;
    const typeOk =
      typ === undefined
        ? allowMissingType
        : typeof typ === 'string' && acceptedTypes.includes(normalizeType(typ));
    if (!typeOk) {
      throw new TokenError(
        'type_not_allowed',
        `the token type ${typ === undefined ? '(missing)' : JSON.stringify(typ)} is not accepted; ` +
          `RFC 9068 access tokens use "at+jwt". To accept plain JWTs, set jwt.acceptedTypes: ['at+jwt', 'JWT']`,
      );
    }
    return header as JWSHeaderParameters & { alg: string };
  };

  // Decoded once, before the signature check: the signature covers exactly these bytes, so
  // after it verifies, this object is the verified payload (no second decode).
  const decodePayload = (segment: string): { issuer: string; claims: Record<string, unknown> } => {
    if (!isCanonicalBase64url(segment)) throw malformed('payload');
    let payload: unknown;
    try {
      payload = JSON.parse(utf8.decode(decode(segment)));
    } catch (cause) {
      throw new TokenError('token_malformed', 'the token payload is not JSON', { cause });
    }
    if (!isJsonObject(payload))
      throw new TokenError('token_malformed', 'the token payload is not a JSON object');
    const iss = payload.iss;
    if (iss === undefined) throw new TokenError('claim_missing', 'the token has no "iss" claim');
    if (typeof iss !== 'string' || !issuerAccepted(iss, opts.issuers, payload, opts.profile)) {
      throw new TokenError(
        'issuer_mismatch',
        'the token issuer is not an accepted authorization server',
      );
    }
    return { issuer: iss, claims: payload };
  };

  const verifySignature = async (
    parts: readonly [string, string, string],
    header: JWSHeaderParameters,
    entry: JwsAlgorithm,
    issuer: string,
  ): Promise<void> => {
    const [protectedHeader, payload, encodedSignature] = parts;
    if (!isCanonicalBase64url(encodedSignature)) throw malformed('signature');
    const signature = decode(encodedSignature);
    const signingInput = `${protectedHeader}.${payload}`;
    if (secret) {
      const key = await secretKeyFor(entry, secret);
      return checkSignature(backend, entry, key, signingInput, signature);
    }
    const jwksUri = opts.jwksUri ?? (await discoverJwksUri(issuer));
    const resolve = keySetFor(jwksUri);
    let key: CryptoKey;
    try {
      key = await resolve(header, {
        protected: protectedHeader,
        payload,
        signature: encodedSignature,
      });
    } catch (error) {
      if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw mapKeyError(error);
      // No `kid`, several candidate keys: try each (bounded by the key set's size).
      for await (const candidate of error as unknown as AsyncIterable<CryptoKey>) {
        try {
          await checkSignature(backend, entry, candidate, signingInput, signature);
          return;
        } catch {
          // the next candidate
        }
      }
      throw new TokenError(
        'signature_invalid',
        'the token signature matches no key of the authorization server',
      );
    }
    return checkSignature(backend, entry, key, signingInput, signature);
  };

  return {
    async verify(token: string, _context?: VerifyContext): Promise<AuthInfo> {
      const parts = typeof token === 'string' ? token.split('.') : [];
      if (parts.length !== 3) {
        throw new TokenError(
          'token_malformed',
          'the token is not a compact JWS (three dot-separated parts)',
        );
      }
      const segments = parts as unknown as readonly [string, string, string];
      const header = checkHeader(segments[0]);
      const { issuer, claims } = decodePayload(segments[1]);
      // Defined for every algorithm the allow-list accepts.
      const entry = jwsAlgorithm(header.alg);
      if (entry === undefined) {
        throw new TokenError('algorithm_not_allowed', 'the token algorithm is not supported');
      }
      try {
        await verifySignature(segments, header, entry, issuer);
      } catch (error) {
        if (error instanceof UpstreamError) throw error;
        throw mapKeyError(error);
      }
      const auth = validateAccessTokenClaims(claims, token, {
        resource: opts.resource,
        issuers: opts.issuers,
        clockTolerance: opts.clockTolerance,
        scopeClaims,
        now: opts.now,
        audienceAliases: opts.audienceAliases,
        profile: opts.profile,
        actor: opts.actor,
      });
      refuseUncheckedBinding(claims, opts.checkedBindings);
      return auth;
    },
  };
}
