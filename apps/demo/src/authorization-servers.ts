import { startAuthorizationServer } from '@prmkit/authorization-server';
import { followAuthorizationRedirects } from '@prmkit/testing';
import { glewlwydLogin, startGlewlwyd } from '@prmkit/interop';
import type { AuthorizationServerChoice } from './args.js';
import type { Fetch } from './observe.js';

/** An authorization server the demo started, and how its login is driven without a person. */
export interface DemoAuthorizationServer {
  readonly issuer: string;
  readonly url: string;
  /** What it is, for the narration. */
  readonly description: string;
  /** Lets it issue tokens for the MCP server's resource (once the server's port is known). */
  allowResource(resource: string): Promise<void>;
  /** The `openAuthorizationUrl` that stands in for the browser. */
  login(fetch: Fetch): (url: URL) => Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the chosen authorization server on a free loopback port: the bundled oidc-provider
 * server (auto-approve as alice) or Glewlwyd (Debian package `glewlwyd`; its start error
 * says how to install it when it is missing).
 *
 * @example
 * ```ts
 * const as = await startDemoAuthorizationServer('glewlwyd', 'http://127.0.0.1:8976/callback');
 * ```
 */
export async function startDemoAuthorizationServer(
  choice: AuthorizationServerChoice,
  redirectUri: string,
): Promise<DemoAuthorizationServer> {
  if (choice === 'glewlwyd') {
    const glewlwyd = await startGlewlwyd({ redirectUris: [redirectUri] });
    return {
      issuer: glewlwyd.issuer,
      url: glewlwyd.url,
      description: 'Glewlwyd, OpenID Connect discovery only; signing in as alice',
      allowResource: (resource) => glewlwyd.allowResources([resource]),
      login: (fetch) => glewlwydLogin(glewlwyd, { fetch }),
      close: () => glewlwyd.close(),
    };
  }
  const as = await startAuthorizationServer({ port: 0, autoApprove: {} });
  return {
    issuer: as.issuer,
    url: as.url,
    description: 'oidc-provider, auto-approve as demo user alice',
    allowResource: async () => undefined,
    login: (fetch) => followAuthorizationRedirects({ redirectUri, fetch }),
    close: () => as.close(),
  };
}
