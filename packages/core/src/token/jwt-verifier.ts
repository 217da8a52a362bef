import { base64url, compactVerify, decodeProtectedHeader, errors } from 'jose';
import type { CompactVerifyResult, JWSHeaderParameters } from 'jose';
import { PrmkitConfigError, PrmkitError, TokenError, UpstreamError } from '../errors.js';
import type { ConfigIssue } from '../errors.js';
import type { AuthInfo, TokenVerifier, VerifyContext } from '../types.js';
import { isSecureUrl, tryParseUrl } from '../url.js';
import { refuseSenderConstrained, validateAccessTokenClaims } from './claims.js';
import { createJwksUriDiscovery } from './discovery.js';
import { algorithmProblems, DEFAULT_JWT_ALGORITHMS, HMAC_ALGORITHMS } from './algorithms.js';
import { isJsonObject } from './http.js';
import { createRemoteKeySet } from './jwks.js';
import type { KeyResolver } from './jwks.js';

/** Options of {@link createJwtVerifier}. */
export interface JwtVerifierOptions {
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
  /** JWKS cache lifetime, ms. Default 600 000. */
  readonly jwksCacheMaxAge?: number;
  /** After a failed discovery, wait this long before asking the issuer again, ms. Default 10 000. */
  readonly discoveryCooldown?: number;
  /** Current time in seconds (tests). */
  readonly now?: () => number;
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

/** Maps anything jose throws during verification onto a stable prmkit error. */
function mapVerifyError(error: unknown): PrmkitError {
  if (error instanceof PrmkitError) return error;
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenError('signature_invalid', 'the token signature is invalid', { cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new TokenError('algorithm_not_allowed', 'the token algorithm is not allowed', {
      cause: error,
    });
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new TokenError('token_malformed', 'the token is not a valid JWS', { cause: error });
  }
  // Anything else (a key of the wrong type or size, ...) is a signature we cannot accept.
  return new TokenError('signature_invalid', 'the token signature could not be verified', {
    cause: error,
  });
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

  const checkHeader = (token: string): JWSHeaderParameters => {
    let header: JWSHeaderParameters;
    try {
      header = decodeProtectedHeader(token) as JWSHeaderParameters;
    } catch (cause) {
      throw new TokenError(
        'token_malformed',
        'the token is not a JWT (its header cannot be decoded)',
        { cause },
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
    return header;
  };

  // Decoded once, before the signature check: the signature covers exactly these bytes, so
  // after it verifies, this object is the verified payload (no second decode).
  const decodePayload = (token: string): { issuer: string; claims: Record<string, unknown> } => {
    const payloadPart = token.split('.')[1] ?? '';
    let payload: unknown;
    try {
      payload = JSON.parse(utf8.decode(base64url.decode(payloadPart)));
    } catch (cause) {
      throw new TokenError('token_malformed', 'the token payload is not JSON', { cause });
    }
    if (!isJsonObject(payload))
      throw new TokenError('token_malformed', 'the token payload is not a JSON object');
    const iss = payload.iss;
    if (iss === undefined) throw new TokenError('claim_missing', 'the token has no "iss" claim');
    if (typeof iss !== 'string' || !opts.issuers.includes(iss)) {
      throw new TokenError(
        'issuer_mismatch',
        'the token issuer is not an accepted authorization server',
      );
    }
    return { issuer: iss, claims: payload };
  };

  const verifySignature = async (token: string, issuer: string): Promise<CompactVerifyResult> => {
    if (secret) return compactVerify(token, secret, { algorithms: [...algorithms] });
    const jwksUri = opts.jwksUri ?? (await discoverJwksUri(issuer));
    const resolve = keySetFor(jwksUri);
    try {
      return await compactVerify(token, resolve, { algorithms: [...algorithms] });
    } catch (error) {
      if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
      // No `kid`, several candidate keys: try each (bounded by the key set's size).
      for await (const key of error as unknown as AsyncIterable<CryptoKey>) {
        try {
          return await compactVerify(token, key, { algorithms: [...algorithms] });
        } catch (attempt) {
          if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
        }
      }
      throw new TokenError(
        'signature_invalid',
        'the token signature matches no key of the authorization server',
      );
    }
  };

  return {
    async verify(token: string, _context?: VerifyContext): Promise<AuthInfo> {
      if (typeof token !== 'string' || token.split('.').length !== 3) {
        throw new TokenError(
          'token_malformed',
          'the token is not a compact JWS (three dot-separated parts)',
        );
      }
      checkHeader(token);
      const { issuer, claims } = decodePayload(token);
      try {
        await verifySignature(token, issuer);
      } catch (error) {
        if (error instanceof UpstreamError) throw error;
        throw mapVerifyError(error);
      }
      const auth = validateAccessTokenClaims(claims, token, {
        resource: opts.resource,
        issuers: opts.issuers,
        clockTolerance: opts.clockTolerance,
        scopeClaims,
        now: opts.now,
      });
      refuseSenderConstrained(claims);
      return auth;
    },
  };
}
