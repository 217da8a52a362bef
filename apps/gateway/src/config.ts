import { readFileSync } from 'node:fs';
import { EXCHANGE_PROFILES, type ExchangeProfile } from '@prmkit/gateway';
import * as z from 'zod';

// RFC 6749 §3.3 scope-token.
const scopeToken = z
  .string()
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'not a scope token (RFC 6749 section 3.3)');
const httpUrl = z.string().refine((value) => {
  const url = URL.parse(value);
  return (
    url !== null &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hash === '' &&
    !value.includes('#')
  );
}, 'expected an absolute http(s) URL without a fragment');

const backendSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
    path: z
      .string()
      .regex(
        /^(\/[A-Za-z0-9._~-]+)+$/,
        'a path like /files (no trailing slash, query or dot segments)',
      )
      .refine(
        (path) => !path.split('/').some((segment) => segment === '.' || segment === '..'),
        'no dot segments',
      )
      .refine((path) => !path.startsWith('/.well-known'), 'reserved for metadata'),
    upstream: httpUrl,
    scopes: z.array(scopeToken),
    audience: z.string().min(1).optional(),
    resource: httpUrl.optional(),
  })
  .strict()
  .refine((backend) => backend.audience !== undefined || backend.resource !== undefined, {
    message: 'set "audience" or "resource": the downstream the exchanged token is for',
  });

const fileSchema = z
  .object({
    profile: z.enum(EXCHANGE_PROFILES as [ExchangeProfile, ...ExchangeProfile[]]).optional(),
    backends: z.array(backendSchema).min(1, 'at least one backend'),
  })
  .strict()
  .superRefine((file, ctx) => {
    const names = new Set<string>();
    const paths: string[] = [];
    file.backends.forEach((backend, index) => {
      if (names.has(backend.name))
        ctx.addIssue({
          code: 'custom',
          path: ['backends', index, 'name'],
          message: `"${backend.name}" is used twice`,
        });
      names.add(backend.name);
      for (const other of paths)
        if (
          other === backend.path ||
          other.startsWith(`${backend.path}/`) ||
          backend.path.startsWith(`${other}/`)
        )
          ctx.addIssue({
            code: 'custom',
            path: ['backends', index, 'path'],
            message: `"${backend.path}" overlaps "${other}"`,
          });
      paths.push(backend.path);
    });
  });

/** One backend of the gateway config file. */
export type BackendConfig = z.infer<typeof backendSchema>;
/** The gateway config file (`PRMKIT_GATEWAY_CONFIG`). */
export type GatewayFileConfig = z.infer<typeof fileSchema>;

/** Thrown at start for a configuration that cannot be used; lists every problem. */
export class GatewayConfigError extends Error {
  override readonly name = 'GatewayConfigError';
  readonly code = 'ERR_GATEWAY_CONFIG';
  constructor(readonly problems: readonly string[]) {
    super(`invalid gateway configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const describeIssues = (issues: readonly z.core.$ZodIssue[], prefix: string): string[] =>
  issues.map((issue) => `${[prefix, ...issue.path.map(String)].join('.')}: ${issue.message}`);

/**
 * Validates the parsed config file (zod), listing every problem by its path.
 *
 * @example
 * ```ts
 * const config = parseGatewayConfig({ backends: [{ name: 'files', path: '/files', upstream: 'http://127.0.0.1:4001/mcp', scopes: ['mcp:tools'], resource: 'http://127.0.0.1:4001/mcp' }] });
 * ```
 */
export function parseGatewayConfig(value: unknown, source = 'config'): GatewayFileConfig {
  const result = fileSchema.safeParse(value);
  if (!result.success) throw new GatewayConfigError(describeIssues(result.error.issues, source));
  return result.data;
}

/** Everything `startGateway` needs, read from the environment. */
export interface GatewayEnv {
  readonly port: number;
  readonly host: string;
  /** `PRMKIT_PUBLIC_URL`'s origin; routes' resources are this origin + route path. */
  readonly publicUrl: string | undefined;
  readonly issuer: string;
  readonly jwksUri: string | undefined;
  readonly config: GatewayFileConfig;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redisUrl: string | undefined;
}

/**
 * Reads the gateway's environment contract: `PORT` (default 8080), `HOST` (default
 * 127.0.0.1), `PRMKIT_PUBLIC_URL` (origin clients use; default `http://<HOST>:<PORT>`),
 * `PRMKIT_ISSUER` (required), `PRMKIT_JWKS_URI` (optional), `PRMKIT_GATEWAY_CONFIG` (JSON
 * file, required), `PRMKIT_EXCHANGE_CLIENT_ID` and `PRMKIT_EXCHANGE_CLIENT_SECRET`
 * (required), `PRMKIT_REDIS_URL` (optional: share exchanged tokens between instances).
 * Every problem, in the environment and in the file, is listed in one error.
 *
 * @example
 * ```ts
 * const env = readGatewayEnv(process.env);
 * ```
 */
export function readGatewayEnv(env: Readonly<Record<string, string | undefined>>): GatewayEnv {
  const problems: string[] = [];
  const portText = env['PORT'] ?? '8080';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 0 && port <= 65535))
    problems.push(`PORT: expected an integer 0..65535, got "${portText}"`);
  const required = (name: string, what: string): string => {
    const value = env[name]?.trim();
    if (value === undefined || value === '') problems.push(`${name}: required (${what})`);
    return value ?? '';
  };
  const issuer = required('PRMKIT_ISSUER', 'issuer of the authorization server');
  const clientId = required(
    'PRMKIT_EXCHANGE_CLIENT_ID',
    'client id of the gateway at the authorization server',
  );
  const clientSecret = required('PRMKIT_EXCHANGE_CLIENT_SECRET', 'its client secret');
  const configPath = required('PRMKIT_GATEWAY_CONFIG', 'path of the JSON backends file');
  const publicText = env['PRMKIT_PUBLIC_URL']?.trim() || undefined;
  let publicUrl: string | undefined;
  if (publicText !== undefined) {
    const url = URL.parse(publicText);
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      problems.push(`PRMKIT_PUBLIC_URL: expected an http(s) URL, got "${publicText}"`);
    else publicUrl = url.origin;
  }
  const jwksUri = env['PRMKIT_JWKS_URI']?.trim() || undefined;
  if (jwksUri !== undefined && URL.parse(jwksUri) === null)
    problems.push('PRMKIT_JWKS_URI: not a URL');
  const redisUrl = env['PRMKIT_REDIS_URL']?.trim() || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/\S+$/.test(redisUrl))
    problems.push('PRMKIT_REDIS_URL: expected redis://host:port (or rediss://)');
  let config: GatewayFileConfig | undefined;
  if (configPath !== '') {
    try {
      config = parseGatewayConfig(
        JSON.parse(readFileSync(configPath, 'utf8')) as unknown,
        configPath,
      );
    } catch (error) {
      if (error instanceof GatewayConfigError) problems.push(...error.problems);
      else
        problems.push(
          `PRMKIT_GATEWAY_CONFIG: cannot read ${configPath} as JSON (${(error as Error).message})`,
        );
    }
  }
  if (problems.length > 0 || config === undefined) throw new GatewayConfigError(problems);
  return {
    port,
    host: env['HOST']?.trim() || '127.0.0.1',
    publicUrl,
    issuer,
    jwksUri,
    config,
    clientId,
    clientSecret,
    redisUrl,
  };
}
