import { readFileSync } from 'node:fs';
import type { CertificateHeaderFormat } from '@prmkit/core/verify';
import type {
  IntrospectionOptions,
  JwtOptions,
  ResourceServerConfig,
  SignedMetadataOptions,
} from '@prmkit/core';
import type { KeyValueStore } from '@prmkit/core/store';
import { isLoopbackHost } from '@prmkit/core/http';
import { type PrmkitLogger } from '@prmkit/core';
import { EXAMPLE_LOG_LEVELS, exampleLogger, type ExampleLogLevel } from './json-logger.js';
import { EXAMPLE_TOOL_SCOPES } from './tools.js';

/** Options every example server's `startServer()` takes. */
export interface ExampleServerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Address to bind. Default `127.0.0.1`. */
  readonly host?: string;
  /**
   * Public URL of `/mcp`, exactly as clients use it (the token audience). Default
   * `http://localhost:<bound port>/mcp`.
   */
  readonly resource?: string;
  /** Issuer identifier of the authorization server. */
  readonly issuer: string;
  /** JWKS that verifies access tokens. Default: from the issuer's RFC 8414 / OpenID metadata. */
  readonly jwksUri?: string;
  /** Accepted JWT `typ` values. Default `['at+jwt']`; add `'JWT'` for Auth0, Okta, Entra ID. */
  readonly acceptedTypes?: JwtOptions['acceptedTypes'];
  /** Claims read for scopes. Default `['scope']`; add `'scp'` for Entra ID and Okta. */
  readonly scopeClaims?: JwtOptions['scopeClaims'];
  /**
   * Verify opaque tokens through RFC 7662 introspection (client_secret_basic) instead of
   * as JWTs.
   */
  readonly introspection?: ExampleIntrospection | IntrospectionOptions;
  /**
   * `redis://…`: keep shared state (the introspection cache) in this Redis, so several
   * instances behind one URL act as one. Default: in process memory.
   */
  readonly redisUrl?: string;
  /**
   * DPoP (RFC 9449): `off` (default; DPoP-bound tokens refused), `allowed` (Bearer and
   * DPoP), `required` (DPoP only).
   */
  readonly dpop?: 'off' | 'allowed' | 'required';
  /**
   * Certificate-bound tokens (RFC 8705): `mode` (`PRMKIT_MTLS`), the proxy header format
   * (`PRMKIT_MTLS_CERT_HEADER`) and the proxies believed (`PRMKIT_TRUSTED_PROXIES`).
   */
  readonly mtls?: {
    readonly mode: 'allowed' | 'required';
    readonly certificateHeader?: CertificateHeaderFormat;
    readonly trustedProxies?: readonly string[];
  };
  /**
   * Serve HTTPS with these PEM files (`PRMKIT_TLS_CERT`, `PRMKIT_TLS_KEY`), asking for (not
   * requiring) a client certificate; the default resource is then `https://localhost:<port>/mcp`.
   */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** The core's verified-token cache (default on, 300 s); see `ResourceServerConfig`. */
  readonly tokenCache?: ResourceServerConfig['tokenCache'];
  /** `PRMKIT_LOG_LEVEL`: `debug` (every decision), `info` (default) or `warn`. */
  readonly logLevel?: ExampleLogLevel;
  /** Where to log instead (tests). Default: JSON lines on stdout at `logLevel`. */
  readonly logger?: PrmkitLogger;
  /**
   * Sign the metadata (RFC 9728 §2.2); its public key is served at
   * {@link EXAMPLE_METADATA_JWKS_PATH}. From `PRMKIT_SIGNED_METADATA_KEY` and
   * `PRMKIT_SIGNED_METADATA_ISSUER`.
   */
  readonly signedMetadata?: SignedMetadataOptions;
}

/**
 * Where an example server started with `PRMKIT_SIGNED_METADATA_KEY` publishes the public
 * key of its metadata signature (advertised as `jwks_uri`). Clients must still get the key
 * out of band to trust it.
 *
 * @example
 * ```ts
 * const jwks = await fetch(new URL(EXAMPLE_METADATA_JWKS_PATH, server.url));
 * ```
 * @see RFC 9728 §2 (jwks_uri), §2.2 (signed_metadata)
 */
export const EXAMPLE_METADATA_JWKS_PATH = '/.well-known/metadata-jwks.json';

/** The introspection settings of an example server. */
export interface ExampleIntrospection {
  readonly endpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Seconds an answer is reused (a revocation takes at most this long). Default 60. */
  readonly cacheMaxAge?: number;
}

/** What each example server's `startServer()` resolves to. */
export interface RunningExampleServer {
  /** The MCP endpoint URL (equal to `resource`). */
  readonly url: string;
  /** The resource identifier the server protects. */
  readonly resource: string;
  /** Stops the server and resolves when the port is free. */
  close(): Promise<void>;
}

/** Thrown for an environment variable that cannot be used; lists every problem. */
export class ExampleServerEnvError extends Error {
  override readonly name = 'ExampleServerEnvError';
  readonly code = 'ERR_EXAMPLE_SERVER_ENV';
  constructor(readonly problems: readonly string[]) {
    super(`invalid environment:\n  - ${problems.join('\n  - ')}`);
  }
}

const TOKEN_TYPES = new Set(['at+jwt', 'JWT']);
const DPOP_MODES = new Set(['off', 'allowed', 'required']);
const SCOPE_CLAIMS = new Set(['scope', 'scp']);
/** `PRMKIT_MTLS_CERT_HEADER`: the header a proxy sets, and the format it comes in. */
const CERT_HEADERS: Readonly<Record<string, CertificateHeaderFormat>> = {
  'client-cert': 'rfc9440',
  'x-ssl-client-cert': 'nginx',
  'x-forwarded-client-cert': 'envoy-xfcc',
  'x-amzn-mtls-clientcert-leaf': 'aws-alb',
};

const list = (value: string | undefined): string[] | undefined =>
  value === undefined || value.trim() === ''
    ? undefined
    : value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');

/**
 * Reads the one configuration contract of the four example servers from the environment:
 * `PORT` (default 3000), `HOST` (default 127.0.0.1), `PRMKIT_RESOURCE` (public URL of
 * /mcp; default `http://localhost:$PORT/mcp`), `PRMKIT_ISSUER` (required),
 * `PRMKIT_JWKS_URI` (optional; else from the issuer's metadata), the hints
 * `PRMKIT_TOKEN_TYPES` (`at+jwt,JWT`) and `PRMKIT_SCOPE_CLAIMS` (`scope,scp`), opaque
 * tokens through introspection (`PRMKIT_INTROSPECTION_ENDPOINT`, `…_CLIENT_ID`,
 * `…_CLIENT_SECRET`, `…_CACHE_MAX_AGE`), `PRMKIT_REDIS_URL` (shared state for several
 * instances), `PRMKIT_DPOP` (`off` | `allowed` | `required`, RFC 9449; default off),
 * certificate-bound tokens (RFC 8705: `PRMKIT_MTLS` `allowed` | `required`,
 * `PRMKIT_MTLS_CERT_HEADER` one of `client-cert`, `x-ssl-client-cert`,
 * `x-forwarded-client-cert`, `x-amzn-mtls-clientcert-leaf`, `PRMKIT_TRUSTED_PROXIES` a comma
 * list of addresses/CIDRs), HTTPS (`PRMKIT_TLS_CERT`, `PRMKIT_TLS_KEY`: PEM files),
 * `PRMKIT_LOG_LEVEL` (`debug`, `info`, `warn`; default `info`) and signed metadata
 * (RFC 9728 §2.2): `PRMKIT_SIGNED_METADATA_KEY` (file of a private JWK with `kid` and
 * `alg`) with `PRMKIT_SIGNED_METADATA_ISSUER` (the JWT `iss`).
 *
 * @example
 * ```ts
 * const options = readServerEnv(process.env);
 * const server = await startServer(options);
 * ```
 * @see RFC 9728 §2 (resource), RFC 8414 §3 (issuer metadata)
 */
export function readServerEnv(
  env: Readonly<Record<string, string | undefined>>,
): ExampleServerOptions {
  const problems: string[] = [];
  const portText = env['PORT'] ?? '3000';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 0 && port <= 65535))
    problems.push(`PORT: expected an integer 0..65535, got "${portText}"`);
  const issuer = env['PRMKIT_ISSUER'];
  if (issuer === undefined || issuer === '')
    problems.push('PRMKIT_ISSUER: required (issuer identifier of the authorization server)');
  const types = list(env['PRMKIT_TOKEN_TYPES']);
  for (const type of types ?? [])
    if (!TOKEN_TYPES.has(type))
      problems.push(`PRMKIT_TOKEN_TYPES: "${type}" is not one of at+jwt, JWT`);
  const claims = list(env['PRMKIT_SCOPE_CLAIMS']);
  for (const claim of claims ?? [])
    if (!SCOPE_CLAIMS.has(claim))
      problems.push(`PRMKIT_SCOPE_CLAIMS: "${claim}" is not one of scope, scp`);
  const introspection = readIntrospectionEnv(env, problems);
  const logLevel = env['PRMKIT_LOG_LEVEL'] || undefined;
  if (logLevel !== undefined && !(EXAMPLE_LOG_LEVELS as readonly string[]).includes(logLevel))
    problems.push(`PRMKIT_LOG_LEVEL: "${logLevel}" is not one of ${EXAMPLE_LOG_LEVELS.join(', ')}`);
  const redisUrl = env['PRMKIT_REDIS_URL'];
  if (redisUrl !== undefined && redisUrl !== '' && !/^rediss?:\/\/[^\s]+$/.test(redisUrl))
    problems.push('PRMKIT_REDIS_URL: expected redis://host:port (or rediss:// for TLS)');
  const dpop = env['PRMKIT_DPOP'] || undefined;
  if (dpop !== undefined && !DPOP_MODES.has(dpop))
    problems.push(`PRMKIT_DPOP: "${dpop}" is not one of off, allowed, required`);
  const mtls = readMtlsEnv(env, problems);
  const certFile = env['PRMKIT_TLS_CERT'] || undefined;
  const keyFile = env['PRMKIT_TLS_KEY'] || undefined;
  if ((certFile === undefined) !== (keyFile === undefined))
    problems.push('PRMKIT_TLS_CERT and PRMKIT_TLS_KEY: set both or neither');
  const signedMetadata = readSignedMetadataEnv(env, problems);
  if (problems.length > 0) throw new ExampleServerEnvError(problems);

  const resource = env['PRMKIT_RESOURCE'];
  const jwksUri = env['PRMKIT_JWKS_URI'];
  return {
    port,
    host: env['HOST'] ?? '127.0.0.1',
    issuer: issuer as string,
    ...(resource === undefined || resource === '' ? {} : { resource }),
    ...(jwksUri === undefined || jwksUri === '' ? {} : { jwksUri }),
    ...(types === undefined ? {} : { acceptedTypes: types as JwtOptions['acceptedTypes'] }),
    ...(claims === undefined ? {} : { scopeClaims: claims as JwtOptions['scopeClaims'] }),
    ...(introspection === undefined ? {} : { introspection }),
    ...(redisUrl === undefined || redisUrl === '' ? {} : { redisUrl }),
    ...(logLevel === undefined ? {} : { logLevel: logLevel as ExampleLogLevel }),
    ...(dpop === undefined ? {} : { dpop: dpop as 'off' | 'allowed' | 'required' }),
    ...(mtls === undefined ? {} : { mtls }),
    ...(certFile && keyFile ? { tls: { certFile, keyFile } } : {}),
    ...(signedMetadata === undefined ? {} : { signedMetadata }),
  };
}

/** `PRMKIT_MTLS`, `PRMKIT_MTLS_CERT_HEADER`, `PRMKIT_TRUSTED_PROXIES`. */
function readMtlsEnv(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): ExampleServerOptions['mtls'] {
  const mode = env['PRMKIT_MTLS'] || undefined;
  const header = env['PRMKIT_MTLS_CERT_HEADER']?.toLowerCase() || undefined;
  const proxies = list(env['PRMKIT_TRUSTED_PROXIES']);
  if (mode === undefined || mode === 'off') {
    if (header !== undefined || proxies !== undefined)
      problems.push('PRMKIT_MTLS_CERT_HEADER, PRMKIT_TRUSTED_PROXIES: set only with PRMKIT_MTLS');
    return undefined;
  }
  if (mode !== 'allowed' && mode !== 'required') {
    problems.push(`PRMKIT_MTLS: "${mode}" is not one of off, allowed, required`);
    return undefined;
  }
  const format = header === undefined ? undefined : CERT_HEADERS[header];
  if (header !== undefined && format === undefined)
    problems.push(
      `PRMKIT_MTLS_CERT_HEADER: "${header}" is not one of ${Object.keys(CERT_HEADERS).join(', ')}`,
    );
  // The core refuses a header without trusted proxies too; said here in the variables' terms.
  if (header !== undefined && proxies === undefined)
    problems.push('PRMKIT_TRUSTED_PROXIES: required with PRMKIT_MTLS_CERT_HEADER');
  return {
    mode,
    ...(format === undefined ? {} : { certificateHeader: format }),
    ...(proxies === undefined ? {} : { trustedProxies: proxies }),
  };
}

/**
 * `PRMKIT_SIGNED_METADATA_KEY` (a file holding a private JWK with `kid` and `alg`) and
 * `PRMKIT_SIGNED_METADATA_ISSUER` (the JWT `iss`): both or neither. The core checks the
 * rest (an asymmetric `alg` that suits the key, an https issuer).
 */
function readSignedMetadataEnv(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): SignedMetadataOptions | undefined {
  const file = env['PRMKIT_SIGNED_METADATA_KEY'] || undefined;
  const issuer = env['PRMKIT_SIGNED_METADATA_ISSUER'] || undefined;
  if (file === undefined && issuer === undefined) return undefined;
  if (file === undefined || issuer === undefined) {
    problems.push('PRMKIT_SIGNED_METADATA_KEY and PRMKIT_SIGNED_METADATA_ISSUER: set both or none');
    return undefined;
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(
      `PRMKIT_SIGNED_METADATA_KEY: cannot read a JSON private JWK from ${file} (${(error as Error).message})`,
    );
    return undefined;
  }
  const key = (typeof jwk === 'object' && jwk !== null ? jwk : {}) as Record<string, unknown>;
  const { kid, alg } = key;
  if (
    typeof kid !== 'string' ||
    kid === '' ||
    typeof alg !== 'string' ||
    typeof key['d'] !== 'string'
  ) {
    problems.push(
      `PRMKIT_SIGNED_METADATA_KEY: ${file} must hold a private JWK (with "d") that names its "kid" and "alg"`,
    );
    return undefined;
  }
  return {
    key: key as JsonWebKey,
    alg: alg as SignedMetadataOptions['alg'],
    kid,
    issuer,
    jwksPath: EXAMPLE_METADATA_JWKS_PATH,
  };
}

/** `PRMKIT_INTROSPECTION_*`: all three of endpoint, client id and secret, or none. */
function readIntrospectionEnv(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): ExampleIntrospection | undefined {
  const endpoint = env['PRMKIT_INTROSPECTION_ENDPOINT'] || undefined;
  const clientId = env['PRMKIT_INTROSPECTION_CLIENT_ID'] || undefined;
  const clientSecret = env['PRMKIT_INTROSPECTION_CLIENT_SECRET'] || undefined;
  const maxAgeText = env['PRMKIT_INTROSPECTION_CACHE_MAX_AGE'] || undefined;
  if (endpoint === undefined && clientId === undefined && clientSecret === undefined) {
    if (maxAgeText !== undefined)
      problems.push(
        'PRMKIT_INTROSPECTION_CACHE_MAX_AGE: set only with PRMKIT_INTROSPECTION_ENDPOINT',
      );
    return undefined;
  }
  if (endpoint === undefined || clientId === undefined || clientSecret === undefined) {
    problems.push(
      'PRMKIT_INTROSPECTION_ENDPOINT, PRMKIT_INTROSPECTION_CLIENT_ID and PRMKIT_INTROSPECTION_CLIENT_SECRET: set all three or none',
    );
    return undefined;
  }
  let cacheMaxAge: number | undefined;
  if (maxAgeText !== undefined) {
    cacheMaxAge = /^\d{1,5}$/.test(maxAgeText) ? Number(maxAgeText) : Number.NaN;
    if (!(cacheMaxAge <= 86_400))
      problems.push(
        `PRMKIT_INTROSPECTION_CACHE_MAX_AGE: expected seconds 0..86400, got "${maxAgeText}"`,
      );
  }
  return {
    endpoint,
    clientId,
    clientSecret,
    ...(cacheMaxAge === undefined ? {} : { cacheMaxAge }),
  };
}

/** `http://localhost:<port>/mcp`, the default resource once the port is known. */
export const defaultResource = (port: number, scheme: 'http' | 'https' = 'http'): string =>
  `${scheme}://localhost:${port}/mcp`;

const isLoopbackHttp = (url: string | undefined): boolean => {
  const parsed = url === undefined ? null : URL.parse(url);
  return parsed !== null && parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
};

/**
 * The `ResourceServerConfig` every example server uses: `/mcp` needs `mcp:tools`,
 * `admin_stats` also needs `mcp:admin` (per-tool step-up); JWTs, or introspection when
 * configured; `store` (Redis) when given. `allowHttp: 'loopback'` is
 * set only when an http URL on a loopback host is configured, so a public deployment
 * keeps the core's https-only default.
 *
 * @example
 * ```ts
 * const config = exampleResourceServerConfig({ issuer: 'https://auth.example.com' }, 'https://api.example.com/mcp');
 * ```
 * @see RFC 9728 §2, RFC 6750 §3.1 (insufficient_scope)
 */
export function exampleResourceServerConfig(
  options: ExampleServerOptions,
  resource: string,
  store?: KeyValueStore,
): ResourceServerConfig {
  const jwt: JwtOptions = {
    ...(options.jwksUri === undefined ? {} : { jwksUri: options.jwksUri }),
    ...(options.acceptedTypes === undefined ? {} : { acceptedTypes: options.acceptedTypes }),
    ...(options.scopeClaims === undefined ? {} : { scopeClaims: options.scopeClaims }),
  };
  const introspection = options.introspection;
  const loopback = [resource, options.issuer, options.jwksUri, introspection?.endpoint].some(
    isLoopbackHttp,
  );
  return {
    resource,
    authorizationServers: [options.issuer],
    scopesSupported: ['mcp:tools', 'mcp:admin'],
    requiredScopes: ['mcp:tools'],
    toolScopes: EXAMPLE_TOOL_SCOPES,
    resourceName: 'prmkit example MCP server',
    ...(introspection === undefined
      ? { jwt }
      : {
          introspection:
            'clientAuth' in introspection
              ? introspection
              : {
                  endpoint: introspection.endpoint,
                  clientAuth: {
                    method: 'client_secret_basic' as const,
                    clientId: introspection.clientId,
                    clientSecret: introspection.clientSecret,
                  },
                  ...(introspection.cacheMaxAge === undefined
                    ? {}
                    : { cacheMaxAge: introspection.cacheMaxAge }),
                },
        }),
    ...(options.tokenCache === undefined ? {} : { tokenCache: options.tokenCache }),
    ...(options.dpop === undefined ? {} : { dpop: { mode: options.dpop } }),
    ...(options.mtls === undefined
      ? {}
      : {
          mtls: {
            mode: options.mtls.mode,
            ...(options.mtls.certificateHeader && {
              certificateHeader: { format: options.mtls.certificateHeader },
            }),
            ...(options.mtls.trustedProxies && { trustedProxies: options.mtls.trustedProxies }),
          },
        }),
    ...(store === undefined ? {} : { store }),
    ...(options.signedMetadata === undefined ? {} : { signedMetadata: options.signedMetadata }),
    ...(loopback ? { allowHttp: 'loopback' as const } : {}),
    // JSON lines on stdout: a warning when a refusal looks like misconfiguration, and at
    // debug every decision with its reason and the values compared.
    logger: options.logger ?? exampleLogger(options.logLevel ?? 'info'),
  };
}
