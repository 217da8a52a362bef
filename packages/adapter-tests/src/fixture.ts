import { createPublicKey } from 'node:crypto';
import type { JsonWebKey as NodeJsonWebKey } from 'node:crypto';
import type { ResourceServerConfig } from '@prmkit/core';
import { metadataUrlFor } from '@prmkit/core';
import { createTestIssuer, freePort } from '@prmkit/testing';
import type { MintOptions, TestIssuer } from '@prmkit/testing';
import type { AdapterHarness, RunningServer, ServerTls } from './harness.js';

/** Scopes of the suite's configuration (`mcp:tools` on every route, `mcp:admin` for `admin_stats`). @see RFC 6749 §3.3 */
export const SUITE_SCOPES = { endpoint: 'mcp:tools', admin: 'mcp:admin' } as const;

/** A started adapter with its issuer, ready for requests. */
export interface SuiteFixture {
  readonly issuer: TestIssuer;
  readonly config: ResourceServerConfig;
  /** `http://127.0.0.1:<port>` of the adapter (`https://` with `tls`). */
  readonly origin: string;
  readonly resource: string;
  /** Expected `resource_metadata` of every challenge. */
  readonly metadataUrl: string;
  /** A token with the endpoint scope only, unless `claims.scope` says otherwise. */
  mint(claims?: Record<string, unknown>, opts?: MintOptions): Promise<string>;
  /** HS256 token whose secret is the issuer's RSA public key (PEM): the key-confusion attack. */
  mintWithPublicKeyAsSecret(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The configuration every adapter is tested with: a loopback resource at `/mcp`, the
 * endpoint scope `mcp:tools` and the tool `admin_stats` needing `mcp:admin`.
 *
 * @example
 * ```ts
 * const config = suiteConfig(3000, issuer);
 * ```
 * @see RFC 9728 §2
 */
export function suiteConfig(
  port: number,
  issuer: TestIssuer,
  overrides: Partial<ResourceServerConfig> = {},
  scheme: 'http' | 'https' = 'http',
): ResourceServerConfig {
  return {
    resource: `${scheme}://127.0.0.1:${port}/mcp`,
    authorizationServers: [issuer.issuer],
    scopesSupported: [SUITE_SCOPES.endpoint, SUITE_SCOPES.admin],
    requiredScopes: [SUITE_SCOPES.endpoint],
    toolScopes: { admin_stats: [SUITE_SCOPES.admin] },
    jwt: { jwksUri: issuer.jwksUri },
    allowHttp: 'loopback',
    httpTimeout: 1000,
    ...overrides,
  };
}

/**
 * Starts a test issuer and the adapter (through its harness) on a free loopback port.
 *
 * @example
 * ```ts
 * const fx = await startFixture(harness);
 * const res = await fetch(`${fx.origin}/mcp`, { headers: { authorization: `Bearer ${await fx.mint()}` } });
 * await fx.close();
 * ```
 * @see RFC 9068 §2 (the tokens minted)
 */
export async function startFixture(
  harness: Pick<AdapterHarness, 'start'>,
  overrides: Partial<ResourceServerConfig> = {},
  options: { readonly tls?: ServerTls } = {},
): Promise<SuiteFixture> {
  const port = await freePort();
  const scheme = options.tls ? 'https' : 'http';
  const resource = `${scheme}://127.0.0.1:${port}/mcp`;
  const issuer = await createTestIssuer({ audience: resource, scope: SUITE_SCOPES.endpoint });
  const config = suiteConfig(port, issuer, overrides, scheme);
  let server: RunningServer;
  try {
    server = await harness.start({ port, config, ...(options.tls && { tls: options.tls }) });
  } catch (error) {
    await issuer.close();
    throw error;
  }
  return {
    issuer,
    config,
    origin: `${scheme}://127.0.0.1:${port}`,
    resource,
    metadataUrl: metadataUrlFor(resource),
    mint: (claims, opts) => issuer.mint(claims, opts),
    async mintWithPublicKeyAsSecret() {
      const pem = createPublicKey({
        key: issuer.publicJwk as NodeJsonWebKey,
        format: 'jwk',
      }).export({ type: 'spki', format: 'pem' });
      return issuer.mint({}, { alg: 'HS256', key: new TextEncoder().encode(String(pem)) });
    },
    async close() {
      await server.close();
      await issuer.close();
    },
  };
}
