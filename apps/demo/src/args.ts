import { parseArgs } from 'node:util';
import { FRAMEWORKS, isFramework, type Framework } from './frameworks.js';

/** What the command line asked for. */
export interface DemoArgs {
  readonly framework: Framework;
  readonly color: boolean;
  readonly help: boolean;
  /** An already running authorization server to use instead of starting one. */
  readonly issuer: string | undefined;
  /** Which authorization server the demo starts: the bundled one, or Glewlwyd. */
  readonly as: AuthorizationServerChoice;
  /** `--dpop`: the MCP server requires DPoP (RFC 9449) and the client binds its tokens. */
  readonly dpop: boolean;
  /** `--gateway`: two MCP servers behind apps/gateway, with RFC 8693 downstream tokens. */
  readonly gateway: boolean;
}

/** `--as`: the bundled oidc-provider server (`local`) or Glewlwyd (Debian package). */
export type AuthorizationServerChoice = 'local' | 'glewlwyd';
const AS_CHOICES: readonly AuthorizationServerChoice[] = ['local', 'glewlwyd'];

/** A command line that cannot be run; the message says what to type instead. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: prmkit demo [--framework ${FRAMEWORKS.join('|')}] [--as local|glewlwyd] [--issuer <url>] [--dpop] [--gateway] [--no-color] [--help]

Starts a local OAuth authorization server (auto-approve) and an example MCP server on free
loopback ports, then connects the official MCP SDK client through @prmkit/client knowing
only the server's URL, and shows every step of the flow as it happens.

Options:
  -f, --framework <name>  server framework: ${FRAMEWORKS.join(', ')} (default express)
      --as <server>       authorization server to start: local (oidc-provider, default)
                          or glewlwyd (an independent OAuth server in C; Debian package
                          glewlwyd, with sqlite3), signing in as alice through its login API
      --issuer <url>      use this running authorization server instead of starting one
                          (it must approve without a login page, e.g. the local one
                          started with AS_AUTO_APPROVE=1; see apps/authorization-server)
      --dpop              DPoP (RFC 9449): the MCP server requires DPoP-bound tokens
                          (PRMKIT_DPOP=required), the client binds its token to a
                          non-extractable key and signs a proof for every request
      --gateway           two MCP servers behind the gateway (apps/gateway): the client
                          calls each route; the gateway exchanges its token (RFC 8693) and
                          each hop is shown: inbound aud, exchanged aud, act
      --no-color          plain output (also when NO_COLOR is set or output is not a terminal)
  -h, --help              show this help
`;

/**
 * Parses the demo's flags; unknown flags and frameworks are a {@link UsageError}.
 *
 * @example
 * ```ts
 * parseDemoArgs(['--framework', 'hono']); // { framework: 'hono', color: true, help: false, issuer: undefined, as: 'local', dpop: false, gateway: false }
 * ```
 */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  // `pnpm start -- --flag` (pnpm 10) hands the `--` through; it separates nothing here.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        framework: { type: 'string', short: 'f' },
        issuer: { type: 'string' },
        as: { type: 'string' },
        dpop: { type: 'boolean' },
        gateway: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        color: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const framework = values.framework ?? 'express';
  if (!isFramework(framework)) {
    throw new UsageError(
      `unknown framework "${framework}"; choose one of ${FRAMEWORKS.join(', ')}`,
    );
  }
  const issuer = values.issuer;
  if (issuer !== undefined) {
    const url = URL.parse(issuer);
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new UsageError(`--issuer must be an http(s) URL, got "${issuer}"`);
    }
  }
  const as = values.as ?? 'local';
  if (!AS_CHOICES.includes(as as AuthorizationServerChoice)) {
    throw new UsageError(
      `unknown authorization server "${as}"; choose one of ${AS_CHOICES.join(', ')}`,
    );
  }
  if (issuer !== undefined && values.as !== undefined) {
    throw new UsageError(
      '--as starts an authorization server and --issuer names a running one: use one of them',
    );
  }
  return {
    framework,
    color: values['no-color'] !== true,
    help: values.help === true,
    issuer,
    as: as as AuthorizationServerChoice,
    dpop: values.dpop === true,
    gateway: values.gateway === true,
  };
}
