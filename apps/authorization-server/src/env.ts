import { AuthorizationServerConfigError, type AuthorizationServerOptions } from './options.js';

const list = (value: string): string[] => value.split(/[\s,]+/).filter((item) => item !== '');

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

/**
 * Reads the command-line server's settings from environment variables:
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | `PORT` | `9000` | port; `0` picks a free one |
 * | `HOST` | `127.0.0.1` | loopback address to bind |
 * | `AS_ISSUER` | `http://<HOST>:<PORT>` | issuer identifier |
 * | `AS_SCOPES` | `mcp:tools mcp:admin` | grantable scopes (space or comma separated) |
 * | `AS_RESOURCES` | none | extra accepted resources, exact match |
 * | `AS_ALLOW_LOOPBACK_RESOURCES` | `1` | accept any loopback http(s) resource |
 * | `AS_ACCESS_TOKEN_TTL` | `900` | access token lifetime, seconds |
 * | `AS_REFRESH_TOKEN_TTL` | `86400` | refresh token lifetime, seconds |
 * | `AS_AUTO_APPROVE` | `0` | `1`: skip login and consent |
 * | `AS_AUTO_APPROVE_USER` | `alice` | user signed in by auto-approve |
 * | `AS_EXCHANGE_CLIENT_ID` | none | RFC 8693: the client allowed to exchange tokens (a gateway) |
 * | `AS_EXCHANGE_CLIENT_SECRET` | none | its secret (client_secret_basic) |
 * | `AS_EXCHANGE_RESOURCES` | none | downstream resources it may exchange for |
 *
 * @example
 * ```ts
 * const options = optionsFromEnv({ PORT: '0', AS_AUTO_APPROVE: '1' });
 * ```
 * @see RFC 8414 §2
 */
export function optionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): AuthorizationServerOptions {
  const problems: string[] = [];
  const integer = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw)) {
      problems.push(`${name}: expected a whole number, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined) return fallback;
    if (TRUE.has(raw)) return true;
    if (FALSE.has(raw)) return false;
    problems.push(`${name}: expected 1 or 0, got "${raw}"`);
    return fallback;
  };

  const port = integer('PORT', 9000);
  const accessTokenTtl = integer('AS_ACCESS_TOKEN_TTL', 900);
  const refreshTokenTtl = integer('AS_REFRESH_TOKEN_TTL', 86_400);
  const autoApprove = flag('AS_AUTO_APPROVE', false);
  const allowLoopbackResources = flag('AS_ALLOW_LOOPBACK_RESOURCES', true);
  const exchangeId = env.AS_EXCHANGE_CLIENT_ID?.trim() || undefined;
  const exchangeSecret = env.AS_EXCHANGE_CLIENT_SECRET?.trim() || undefined;
  const exchangeResources = list(env.AS_EXCHANGE_RESOURCES ?? '');
  const exchangeSet = [exchangeId, exchangeSecret, exchangeResources.length > 0 ? 'x' : undefined];
  if (exchangeSet.some((v) => v !== undefined) && exchangeSet.some((v) => v === undefined))
    problems.push(
      'AS_EXCHANGE_CLIENT_ID, AS_EXCHANGE_CLIENT_SECRET and AS_EXCHANGE_RESOURCES: set all three or none',
    );
  if (problems.length > 0) throw new AuthorizationServerConfigError(problems);

  const scopes = env.AS_SCOPES === undefined ? undefined : list(env.AS_SCOPES);
  const user = env.AS_AUTO_APPROVE_USER?.trim();
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    ...(env.AS_ISSUER?.trim() ? { issuer: env.AS_ISSUER.trim() } : {}),
    ...(scopes ? { scopes } : {}),
    resources: list(env.AS_RESOURCES ?? ''),
    allowLoopbackResources,
    accessTokenTtl,
    refreshTokenTtl,
    autoApprove: autoApprove ? (user ? { username: user } : {}) : false,
    ...(exchangeId !== undefined && exchangeSecret !== undefined
      ? {
          tokenExchange: {
            clients: [{ clientId: exchangeId, clientSecret: exchangeSecret }],
            resources: exchangeResources,
          },
        }
      : {}),
  };
}
