import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.js';
import { GlewlwydAdmin } from './admin-api.js';
import { GLEWLWYD_PATHS, glewlwydAvailability } from './availability.js';
import { glewlwydConfigFile } from './config-file.js';

/** Options of {@link startGlewlwyd}. */
export interface GlewlwydOptions {
  /** Port on 127.0.0.1. Default: a free one. */
  readonly port?: number;
  /** Resource scopes Glewlwyd may grant. Default `['mcp:tools', 'mcp:admin']`. */
  readonly scopes?: readonly string[];
  /** RFC 8707 resources accepted from the start (more with `allowResources`). */
  readonly resources?: readonly string[];
  /** Redirect URIs of the pre-registered public client (Glewlwyd matches them exactly). */
  readonly redirectUris?: readonly string[];
  /** Access token lifetime, seconds. Default 600. */
  readonly accessTokenTtl?: number;
}

/** A client registered through the admin API. */
export interface GlewlwydClient {
  readonly clientId: string;
  readonly clientSecret?: string;
}

/** A running Glewlwyd, configured for MCP resources. */
export interface RunningGlewlwyd {
  /** Base URL, e.g. `http://127.0.0.1:4593`. */
  readonly url: string;
  /** The OIDC plugin's issuer: `<url>/api/oidc`. */
  readonly issuer: string;
  /** Its only discovery document (OpenID Connect path-append; no RFC 8414 endpoint). */
  readonly discoveryUrl: string;
  /** The user who signs in (`alice`), granted every resource scope. */
  readonly user: { readonly username: string; readonly password: string };
  /** Public client for the code flow (PKCE, refresh), redirect URIs as configured. */
  readonly publicClient: GlewlwydClient;
  /** Confidential client for client_credentials, every resource scope. */
  readonly serviceClient: Required<GlewlwydClient>;
  /** Confidential client of a resource server: its tokens carry `introspect`. */
  readonly introspectionClient: Required<GlewlwydClient>;
  /** The admin REST API, signed in. */
  readonly admin: GlewlwydAdmin;
  /** Lets Glewlwyd issue tokens for these resources too (every resource scope). */
  allowResources(resources: readonly string[]): Promise<void>;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes its state directory. */
  close(): Promise<void>;
}

/** Glewlwyd could not be started or configured; `log` is the tail of its log file. */
export class GlewlwydStartError extends Error {
  override readonly name = 'GlewlwydStartError';
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(log === '' ? message : `${message}\n--- glewlwyd.log (tail) ---\n${log}`);
  }
}

const PLUGIN = 'oidc';
const USER = { username: 'alice', password: 'alice-password-1' };

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited(child);
  clearTimeout(timer);
}

/**
 * Starts Glewlwyd (the Debian package's binary) on a loopback port from a generated config
 * and a fresh sqlite database, then configures it through its admin REST API: scopes, a
 * user, a public, a service and a resource-server client, and one OIDC plugin instance
 * issuing RFC 9068 JWT access tokens with `aud` from RFC 8707 `resource`, PKCE, refresh,
 * client_credentials, open dynamic registration, introspection and revocation.
 *
 * @example
 * ```ts
 * const glewlwyd = await startGlewlwyd({ redirectUris: ['http://127.0.0.1:8976/callback'] });
 * await glewlwyd.allowResources(['http://localhost:3000/mcp']);
 * await glewlwyd.close();
 * ```
 * @see RFC 9068 §2, RFC 8707 §2, RFC 7662 §2, RFC 7009 §2, RFC 7591 §3
 */
export async function startGlewlwyd(options: GlewlwydOptions = {}): Promise<RunningGlewlwyd> {
  const found = glewlwydAvailability();
  if (!found.available) {
    throw new GlewlwydStartError(
      `Glewlwyd is not installed (missing ${found.missing.join(', ')}); install it with: ${found.hint}`,
      '',
    );
  }
  const scopes = options.scopes ?? ['mcp:tools', 'mcp:admin'];
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const issuer = `${url}/api/${PLUGIN}`;
  const stateDir = await mkdtemp(join(tmpdir(), 'prmkit-glewlwyd-'));
  const logFile = join(stateDir, 'glewlwyd.log');
  const logTail = async (): Promise<string> =>
    (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-25).join('\n');

  const init = spawnSync('sqlite3', [join(stateDir, 'glewlwyd.db')], {
    input: await readFile(GLEWLWYD_PATHS.sqliteInit),
    stdio: ['pipe', 'ignore', 'pipe'],
    timeout: 10_000,
  });
  if (init.status !== 0) {
    await rm(stateDir, { recursive: true, force: true });
    throw new GlewlwydStartError(
      `sqlite3 could not create the database: ${String(init.stderr)}`,
      '',
    );
  }
  const configPath = join(stateDir, 'glewlwyd.conf');
  await writeFile(
    configPath,
    glewlwydConfigFile({ port, stateDir, modules: GLEWLWYD_PATHS.modules }),
  );
  const output = await open(join(stateDir, 'stdout.log'), 'a');
  const child = spawn(GLEWLWYD_PATHS.binary, [`--config-file=${configPath}`], {
    stdio: ['ignore', output.fd, output.fd],
  });
  await output.close();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await stopProcess(child);
      await rm(stateDir, { recursive: true, force: true });
    })());

  try {
    await waitUntilUp(url, child);
    const admin = await GlewlwydAdmin.signIn(`${url}/api`);
    const resources = new Set(options.resources ?? []);
    for (const name of [...scopes, 'introspect']) {
      await admin.call('POST', '/scope/', {
        name,
        display_name: name,
        description: `${name} (prmkit interop)`,
        password_required: name !== 'introspect',
        password_max_age: 0,
        scheme: {},
      });
    }
    await admin.call('POST', '/user/', {
      ...USER,
      name: 'Alice Test',
      email: 'alice@example.test',
      enabled: true,
      scope: ['openid', ...scopes],
    });
    const publicClient = { clientId: 'mcp-public' };
    await admin.call('POST', '/client/', {
      client_id: publicClient.clientId,
      name: 'MCP public client',
      enabled: true,
      confidential: false,
      redirect_uri: [...(options.redirectUris ?? [])],
      authorization_type: ['code', 'refresh_token'],
      token_endpoint_auth_method: ['none'],
      scope: [],
    });
    const serviceClient = { clientId: 'mcp-service', clientSecret: 'service-secret-1' };
    await admin.call('POST', '/client/', {
      client_id: serviceClient.clientId,
      client_secret: serviceClient.clientSecret,
      name: 'MCP service client',
      enabled: true,
      confidential: true,
      redirect_uri: [],
      authorization_type: ['client_credentials'],
      token_endpoint_auth_method: ['client_secret_basic', 'client_secret_post'],
      scope: [...scopes],
    });
    const introspectionClient = { clientId: 'mcp-resource-server', clientSecret: 'rs-secret-1' };
    await admin.call('POST', '/client/', {
      client_id: introspectionClient.clientId,
      client_secret: introspectionClient.clientSecret,
      name: 'MCP resource server',
      enabled: true,
      confidential: true,
      redirect_uri: [],
      authorization_type: ['client_credentials'],
      token_endpoint_auth_method: ['client_secret_basic'],
      scope: ['introspect'],
    });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const parameters = {
      iss: issuer,
      'oauth-as-iss-id': true,
      'jwt-type': 'rsa',
      'jwt-key-size': '256',
      key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      cert: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      'access-token-duration': options.accessTokenTtl ?? 600,
      'refresh-token-duration': 86_400,
      'code-duration': 600,
      'refresh-token-rolling': true,
      'allow-non-oidc': true,
      'auth-type-code-enabled': true,
      'auth-type-client-enabled': true,
      'auth-type-refresh-enabled': true,
      'allowed-scope': ['openid', ...scopes, 'introspect'],
      'pkce-allowed': true,
      'pkce-required-public-client': true,
      'introspection-revocation-allowed': true,
      'introspection-revocation-allow-target-client': true,
      'introspection-revocation-auth-scope': ['introspect'],
      'register-client-allowed': true,
      'register-client-management-allowed': true,
      'resource-allowed': true,
      'resource-scope': resourceScope(scopes, resources),
      'resource-client-property': 'resource',
      'resource-scope-and-client-property': false,
      'jwks-show': true,
      // RFC 9449: a token request with a DPoP proof gets a token bound to its key (cnf.jkt).
      'oauth-dpop-allowed': true,
      'oauth-dpop-iat-duration': 60,
    };
    await admin.call('POST', '/mod/plugin/', {
      module: 'oidc',
      name: PLUGIN,
      display_name: 'OIDC',
      enabled: true,
      parameters,
    });

    return {
      url,
      issuer,
      discoveryUrl: `${issuer}/.well-known/openid-configuration`,
      user: USER,
      publicClient,
      serviceClient,
      introspectionClient,
      admin,
      async allowResources(more) {
        for (const resource of more) resources.add(resource);
        const current = (await admin.call('GET', `/mod/plugin/${PLUGIN}`)) as {
          module: string;
          name: string;
          display_name: string;
          enabled: boolean;
          parameters: Record<string, unknown>;
        };
        await admin.call('PUT', `/mod/plugin/${PLUGIN}`, {
          module: current.module,
          name: current.name,
          display_name: current.display_name,
          enabled: current.enabled,
          parameters: { ...current.parameters, 'resource-scope': resourceScope(scopes, resources) },
        });
        // Without the reset, changed parameters do not all take effect.
        await admin.call('PUT', `/mod/plugin/${PLUGIN}/reset`);
      },
      close,
    };
  } catch (error) {
    const log = await logTail();
    await close();
    if (error instanceof GlewlwydStartError) throw error;
    throw new GlewlwydStartError(`Glewlwyd did not start: ${(error as Error).message}`, log);
  }
}

/** Every resource scope may be granted for every accepted resource. */
function resourceScope(
  scopes: readonly string[],
  resources: ReadonlySet<string>,
): Record<string, string[]> {
  return Object.fromEntries(scopes.map((scope) => [scope, [...resources]]));
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the process exited (${child.exitCode ?? child.signalCode})`);
    try {
      const response = await fetch(`${url}/config`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer from ${url}/config within 10 s`);
}
