import { z } from 'zod';
import type { ResourceServerConfig } from './config-types.js';
import type { BearerMethod } from '../model/types.js';
import { configIssues } from './config-messages.js';
import { PrmkitConfigError } from '../model/errors.js';
import { isScopeToken, unionScopes } from '../decide/scope.js';
import type { AuthorizeDecision } from '../model/authorize-types.js';
import type { TokenCacheOptions } from '../verify/cache/caching-verifier.js';
import type { IntrospectionVerifierOptions } from '../verify/token/introspection-verifier.js';
import type { JwtVerifierOptions } from '../verify/token/jwt-verifier.js';
import type { TokenVerifier } from '../model/types.js';
import type { FailureRateLimitOptions } from '../decide/rate-limit.js';
import type { PrmkitLogger } from '../model/logger.js';
import type { KeyValueStore } from '../state/types.js';
import { algorithmProblems } from '../verify/token/algorithms.js';
import { checkUrl } from '../util/url.js';
import { tokenProfileSchema } from './token-profile-schema.js';
import { dpopConfigProblems, dpopSchema, resolveDpop } from './dpop-config.js';
import type { ResolvedDpopSetup } from '../verify/dpop/dpop-options.js';
import { mtlsConfigProblems, mtlsSchema, resolveMtls } from './mtls-config.js';
import type { ResolvedMtls } from '../verify/mtls/certificate-source.js';
import type { ConfirmationMethod } from '../verify/confirmation.js';
import type { SignatureBackend } from '../verify/token/signature-backend.js';
import {
  signedMetadataProblems,
  signedMetadataSchema,
} from '../metadata/signed-metadata-schema.js';
import { METADATA_WELL_KNOWN, metadataUrlFor } from '../metadata/well-known.js';
import type { SignedMetadataOptions } from '../model/signed-metadata-types.js';

type AllowHttp = 'loopback' | undefined;

/** A URL member: the core URL rule (`checkUrl`), one issue per problem. */
function urlMember(
  ctx: z.RefinementCtx,
  value: string,
  path: (string | number)[],
  allowHttp: AllowHttp,
  what: string,
  opts: { noQuery?: boolean } = {},
): void {
  const { problems } = checkUrl(value, {
    allowHttp,
    fragment: 'refuse',
    query: opts.noQuery ? 'refuse' : 'allow',
  });
  for (const p of problems) ctx.addIssue({ code: 'custom', path, message: `${what} ${p.message}` });
}

const scopeList = z.array(
  z.string().refine(isScopeToken, { message: 'not a valid scope token (RFC 6749 §3.3)' }),
);
const algList = z
  .array(z.string().min(1))
  .refine((a) => !a.some((alg) => alg.toLowerCase() === 'none'), {
    message: '"none" is never an acceptable algorithm',
  });
const func = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
  message: 'must be a function',
});

const jwtSchema = z.strictObject({
  jwksUri: z.string().optional(),
  algorithms: z.array(z.string().min(1)).min(1, 'at least one algorithm').optional(),
  secret: z
    .union([
      z.string().min(32, 'a symmetric secret must have at least 32 characters'),
      z.instanceof(Uint8Array),
    ])
    .optional(),
  acceptedTypes: z
    .array(z.enum(['at+jwt', 'JWT']))
    .min(1)
    .optional(),
  scopeClaims: z
    .array(z.enum(['scope', 'scp']))
    .min(1)
    .optional(),
  signatureBackend: z
    .custom<SignatureBackend>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as { verify?: unknown }).verify === 'function',
      { message: 'must be a signature backend (webCryptoBackend, or nodeCryptoBackend)' },
    )
    .optional(),
});

const clientAuthSchema = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.enum(['client_secret_basic', 'client_secret_post']),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
  }),
  z.strictObject({
    method: z.literal('private_key_jwt'),
    clientId: z.string().min(1),
    privateKey: z.custom<CryptoKey | JsonWebKey>((v) => typeof v === 'object' && v !== null, {
      message: 'must be a CryptoKey or JWK',
    }),
    algorithm: z.string().optional(),
  }),
  z.strictObject({ method: z.literal('bearer'), token: z.string().min(1) }),
]);

const STANDARD_MEMBERS = new Set([
  'resource',
  'authorization_servers',
  'jwks_uri',
  'scopes_supported',
  'bearer_methods_supported',
  'resource_signing_alg_values_supported',
  'resource_name',
  'resource_documentation',
  'resource_policy_uri',
  'resource_tos_uri',
  'tls_client_certificate_bound_access_tokens',
  'authorization_details_types_supported',
  'dpop_signing_alg_values_supported',
  'dpop_bound_access_tokens_required',
  'signed_metadata',
]);

const schema = z
  .strictObject({
    resource: z.string().min(1),
    authorizationServers: z
      .array(z.string())
      .min(1, 'at least one authorization server issuer is required (RFC 9728 §2)'),
    scopesSupported: scopeList.optional(),
    requiredScopes: scopeList.optional(),
    toolScopes: z.record(z.string().min(1), scopeList).optional(),
    scopesForMessage: func.optional(),
    bearerMethodsSupported: z
      .array(z.enum(['header', 'body', 'query']))
      .min(1, 'at least one bearer method')
      .refine((m) => new Set(m).size === m.length, { message: 'duplicate bearer method' })
      .optional(),
    jwksUri: z.string().optional(),
    resourceSigningAlgValuesSupported: algList.optional(),
    resourceName: z.string().min(1).optional(),
    resourceDocumentation: z.string().optional(),
    resourcePolicyUri: z.string().optional(),
    resourceTosUri: z.string().optional(),
    tlsClientCertificateBoundAccessTokens: z.boolean().optional(),
    authorizationDetailsTypesSupported: z.array(z.string().min(1)).optional(),
    dpopSigningAlgValuesSupported: algList.optional(),
    dpopBoundAccessTokensRequired: z.boolean().optional(),
    extraMetadata: z.record(z.string(), z.unknown()).optional(),
    metadataCacheControl: z
      .string()
      .regex(/^[\x20-\x7E]*$/, 'must be printable ASCII (no CR/LF)')
      .optional(),
    serveRootMetadata: z.boolean().optional(),
    audienceAliases: z.array(z.string().min(1)).min(1).optional(),
    profile: tokenProfileSchema.optional(),
    jwt: jwtSchema.optional(),
    introspection: z
      .strictObject({
        endpoint: z.string(),
        clientAuth: clientAuthSchema,
        cacheMaxAge: z.number().int().min(0).max(86400).optional(),
      })
      .optional(),
    verifier: z
      .custom<{ verify: unknown }>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as { verify?: unknown }).verify === 'function',
        { message: 'must be an object with a verify(token) method' },
      )
      .optional(),
    clockTolerance: z.number().min(0).max(300).optional(),
    maxTokenLength: z.number().int().min(16).max(65536).optional(),
    httpTimeout: z.number().int().min(1).max(60000).optional(),
    fetch: func.optional(),
    allowHttp: z.literal('loopback').optional(),
    tokenCache: z
      .union([
        z.literal(false),
        z.strictObject({
          maxEntries: z.number().int().min(1).max(10_000_000).optional(),
          maxAge: z.number().min(0).optional(),
        }),
      ])
      .optional(),
    store: z
      .custom<{ get: unknown }>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          ['get', 'set', 'delete'].every(
            (m) => typeof (v as Record<string, unknown>)[m] === 'function',
          ),
        { message: 'must be a store with get, set and delete methods' },
      )
      .optional(),
    onDecision: func.optional(),
    logger: z
      .custom<{ warn: unknown }>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as { warn?: unknown }).warn === 'function',
        { message: 'must be a logger with warn(fields, message) (pino-compatible)' },
      )
      .optional(),
    rateLimit: z
      .strictObject({
        maxFailures: z.number().int().min(1).max(1_000_000).optional(),
        windowSeconds: z.number().int().min(1).max(86_400).optional(),
      })
      .optional(),
    dpop: dpopSchema.optional(),
    actor: z
      .strictObject({
        allowed: z.array(z.string().min(1)).min(1, 'at least one allowed actor'),
        withoutActor: z.enum(['refuse', 'accept']).optional(),
      })
      .optional(),
    mtls: mtlsSchema.optional(),
    signedMetadata: signedMetadataSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.signedMetadata) {
      for (const issue of signedMetadataProblems(c.signedMetadata, {
        allowHttp: c.allowHttp,
        jwksUri: c.jwksUri,
        cacheControl: c.metadataCacheControl ?? DEFAULT_METADATA_CACHE_CONTROL,
        metadataPaths: metadataPathsOf(c.resource),
      }))
        ctx.addIssue({ code: 'custom', ...issue });
    }
    for (const issue of dpopConfigProblems(c)) ctx.addIssue({ code: 'custom', ...issue });
    for (const issue of mtlsConfigProblems(c)) ctx.addIssue({ code: 'custom', ...issue });
    const allowHttp = c.allowHttp;
    urlMember(ctx, c.resource, ['resource'], allowHttp, 'resource');
    canonicalResource(ctx, c.resource);
    c.authorizationServers.forEach((issuer, i) =>
      urlMember(
        ctx,
        issuer,
        ['authorizationServers', i],
        allowHttp,
        'authorization server issuer',
        { noQuery: true },
      ),
    );
    if (new Set(c.authorizationServers).size !== c.authorizationServers.length) {
      ctx.addIssue({ code: 'custom', path: ['authorizationServers'], message: 'duplicate issuer' });
    }
    if (c.jwksUri !== undefined) urlMember(ctx, c.jwksUri, ['jwksUri'], allowHttp, 'jwksUri');
    if (c.jwt?.jwksUri !== undefined)
      urlMember(ctx, c.jwt.jwksUri, ['jwt', 'jwksUri'], allowHttp, 'jwt.jwksUri');
    if (c.introspection)
      urlMember(
        ctx,
        c.introspection.endpoint,
        ['introspection', 'endpoint'],
        allowHttp,
        'introspection endpoint',
      );
    for (const key of ['resourceDocumentation', 'resourcePolicyUri', 'resourceTosUri'] as const) {
      const v = c[key];
      if (v !== undefined) urlMember(ctx, v, [key], 'loopback', key);
    }
    // One rule for the allow-list, shared with createJwtVerifier.
    for (const problem of algorithmProblems(c.jwt?.algorithms ?? [], c.jwt?.secret !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['jwt', 'algorithms', problem.index],
        message: problem.message,
      });
    }
    // Keys for issuers a profile derives from the token must not come from discovery at a
    // URL the (not yet verified) token names.
    if (c.profile?.acceptIssuer && !c.jwt?.jwksUri && !c.verifier && !c.introspection) {
      ctx.addIssue({
        code: 'custom',
        path: ['jwt', 'jwksUri'],
        message: 'profile.acceptIssuer needs a fixed jwt.jwksUri',
      });
    }
    if (c.verifier && c.actor) {
      ctx.addIssue({
        code: 'custom',
        path: ['actor'],
        message:
          'the actor policy is enforced by the built-in verifiers; with verifier, check "act" there',
      });
    }
    if (c.verifier && c.introspection) {
      ctx.addIssue({
        code: 'custom',
        path: ['verifier'],
        message: 'set either verifier or introspection, not both',
      });
    }
    // Advertised binding must be enforced: without `dpop` / `mtls` on, only a verifier of
    // your own can (the built-in verifiers refuse bound tokens).
    const enforcedBy = {
      dpopBoundAccessTokensRequired: c.dpop,
      tlsClientCertificateBoundAccessTokens: c.mtls,
    } as const;
    for (const key of [
      'dpopBoundAccessTokensRequired',
      'tlsClientCertificateBoundAccessTokens',
    ] as const) {
      const option = enforcedBy[key];
      if (c[key] === true && !c.verifier && (!option || option.mode === 'off')) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `advertising ${key} needs something that enforces it: ${key === 'dpopBoundAccessTokensRequired' ? 'dpop' : 'mtls'} (or a verifier of your own)`,
        });
      }
    }
    // Scopes the server requires must be ones it advertises.
    if (c.scopesSupported) {
      const advertised = new Set(c.scopesSupported);
      c.requiredScopes?.forEach((s, i) => {
        if (!advertised.has(s))
          ctx.addIssue({
            code: 'custom',
            path: ['requiredScopes', i],
            message: `${JSON.stringify(s)} is not in scopesSupported`,
          });
      });
      for (const [tool, scopes] of Object.entries(c.toolScopes ?? {})) {
        scopes.forEach((s, i) => {
          if (!advertised.has(s))
            ctx.addIssue({
              code: 'custom',
              path: ['toolScopes', tool, i],
              message: `${JSON.stringify(s)} is not in scopesSupported`,
            });
        });
      }
    }
    for (const key of Object.keys(c.extraMetadata ?? {})) {
      if (STANDARD_MEMBERS.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['extraMetadata', key],
          message: `${key} is a standard member: set it through its own option`,
        });
      }
    }
  });

const DEFAULT_METADATA_CACHE_CONTROL = 'public, max-age=3600';

/** The paths the metadata may be served at, for clash checks (none for a bad resource). */
function metadataPathsOf(resource: string): string[] {
  try {
    return [new URL(metadataUrlFor(resource)).pathname, METADATA_WELL_KNOWN];
  } catch {
    return [];
  }
}

/**
 * The identifier is used byte for byte everywhere, so it must already be in the form a
 * URL parser produces (lower-case scheme and host, no default port, normalized path);
 * otherwise clients that canonicalize would see a different `resource` (RFC 9728 §3.3).
 */
function canonicalResource(ctx: z.RefinementCtx, resource: string): void {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return;
  }
  const canonical = url.href;
  const withoutRootSlash = url.pathname === '/' && !url.search ? canonical.slice(0, -1) : undefined;
  if (resource !== canonical && resource !== withoutRootSlash) {
    ctx.addIssue({
      code: 'custom',
      path: ['resource'],
      message: `resource must be in canonical form: use ${JSON.stringify(canonical)}`,
    });
  }
}

/** How tokens are verified, chosen once from the configuration. */
export type Verification =
  | { readonly kind: 'custom'; readonly verifier: TokenVerifier }
  | { readonly kind: 'jwt'; readonly options: JwtVerifierOptions }
  | { readonly kind: 'introspection'; readonly options: IntrospectionVerifierOptions };

/** Config keys passed through to the metadata as configured (RFC 9728 §2), camelCase. */
const METADATA_MEMBERS = [
  'jwksUri',
  'resourceSigningAlgValuesSupported',
  'resourceName',
  'resourceDocumentation',
  'resourcePolicyUri',
  'resourceTosUri',
  'tlsClientCertificateBoundAccessTokens',
  'authorizationDetailsTypesSupported',
  'dpopSigningAlgValuesSupported',
  'dpopBoundAccessTokensRequired',
  'extraMetadata',
] as const satisfies readonly (keyof ResourceServerConfig)[];

/** Metadata members passed through as configured (RFC 9728 §2), camelCase. */
export type MetadataMembers = Pick<ResourceServerConfig, (typeof METADATA_MEMBERS)[number]>;

/**
 * The configuration after validation, with every default applied. The one place defaults
 * live: nothing reads the raw input after `resolveConfig`.
 */
export interface ResolvedConfig {
  readonly resource: string;
  readonly authorizationServers: readonly string[];
  readonly scopesSupported: readonly string[];
  readonly requiredScopes: readonly string[];
  readonly toolScopes: ReadonlyMap<string, readonly string[]>;
  readonly allToolScopes: readonly string[];
  readonly scopesForMessage: ((message: unknown) => readonly string[] | undefined) | undefined;
  readonly bearerMethods: readonly BearerMethod[];
  readonly maxTokenLength: number;
  readonly metadataCacheControl: string;
  readonly serveRootMetadata: boolean;
  readonly metadataMembers: MetadataMembers;
  readonly verification: Verification;
  /** `false`: no cache; otherwise the cache's options. */
  readonly tokenCache: false | TokenCacheOptions;
  readonly onDecision: ((decision: AuthorizeDecision) => void) | undefined;
  readonly logger: PrmkitLogger | undefined;
  /** Failure-only rate limiting, when enabled. */
  readonly rateLimit: FailureRateLimitOptions | undefined;
  readonly store: KeyValueStore | undefined;
  /** DPoP settings with the store for proof `jti`s; `undefined` when DPoP is off. */
  readonly dpop: ResolvedDpopSetup | undefined;
  /** Certificate-bound tokens (RFC 8705); `undefined` when off. */
  readonly mtls: ResolvedMtls | undefined;
  /** How to sign the metadata (RFC 9728 §2.2); `undefined`: unsigned. */
  readonly signedMetadata: SignedMetadataOptions | undefined;
}

/**
 * Validates a configuration once and applies defaults. Throws `PrmkitConfigError` listing
 * every problem with its path.
 */
export function resolveConfig(config: ResourceServerConfig): ResolvedConfig {
  if (typeof config !== 'object' || config === null) {
    throw new PrmkitConfigError([{ path: '', message: 'configuration must be an object' }]);
  }
  const parsed = schema.safeParse(config);
  if (!parsed.success) throw new PrmkitConfigError(configIssues(parsed.error, schema, config));
  const toolScopes = new Map<string, readonly string[]>(Object.entries(config.toolScopes ?? {}));
  const allToolScopes = [...new Set([...toolScopes.values()].flat())];
  const requiredScopes = config.requiredScopes ?? [];
  const dpop = resolveDpop(config);
  const mtls = resolveMtls(config);
  const checkedBindings: ConfirmationMethod[] = [
    ...(dpop ? (['jkt'] as const) : []),
    ...(mtls ? (['x5t#S256'] as const) : []),
  ];
  const verifierCommon = {
    resource: config.resource,
    issuers: config.authorizationServers,
    clockTolerance: config.clockTolerance ?? 30,
    timeout: config.httpTimeout ?? 5000,
    fetch: config.fetch ?? globalThis.fetch.bind(globalThis),
    allowHttp: config.allowHttp,
    scopeClaims: config.jwt?.scopeClaims ?? (['scope'] as const),
    audienceAliases: config.audienceAliases,
    profile: config.profile,
    checkedBindings,
    actor: config.actor,
  };
  const verification: Verification = config.verifier
    ? { kind: 'custom', verifier: config.verifier }
    : config.introspection
      ? {
          kind: 'introspection',
          options: { ...config.introspection, ...verifierCommon, store: config.store },
        }
      : { kind: 'jwt', options: { ...config.jwt, ...verifierCommon } };
  // The built-in verifiers are cached unless `tokenCache: false`; a verifier of your own only
  // when `tokenCache` is given (it may do per-request checks a cache would skip).
  const tokenCache =
    config.tokenCache === false || (config.verifier && config.tokenCache === undefined)
      ? false
      : (config.tokenCache ?? {});
  return {
    resource: config.resource,
    authorizationServers: config.authorizationServers,
    scopesSupported: config.scopesSupported ?? unionScopes(requiredScopes, allToolScopes),
    requiredScopes,
    toolScopes,
    allToolScopes,
    scopesForMessage: config.scopesForMessage,
    bearerMethods: config.bearerMethodsSupported ?? ['header'],
    maxTokenLength: config.maxTokenLength ?? 8192,
    metadataCacheControl: config.metadataCacheControl ?? DEFAULT_METADATA_CACHE_CONTROL,
    serveRootMetadata: config.serveRootMetadata ?? true,
    metadataMembers: {
      ...(Object.fromEntries(METADATA_MEMBERS.map((key) => [key, config[key]])) as MetadataMembers),
      ...dpop?.metadata,
      // RFC 9728 §2: advertised exactly when enforced.
      ...(mtls && { tlsClientCertificateBoundAccessTokens: true }),
      ...(config.signedMetadata?.jwksPath === undefined
        ? {}
        : { jwksUri: new URL(config.signedMetadata.jwksPath, config.resource).href }),
    },
    verification,
    tokenCache,
    onDecision: config.onDecision,
    logger: config.logger,
    rateLimit: config.rateLimit,
    store: config.store,
    dpop,
    mtls,
    signedMetadata: config.signedMetadata,
  };
}
