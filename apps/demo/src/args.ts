import { parseArgs } from 'node:util';
import { FRAMEWORKS, isFramework, type Framework } from './frameworks.js';

/** What the command line asked for. */
export interface DemoArgs {
  readonly framework: Framework;
  readonly color: boolean;
  readonly help: boolean;
  /** An already running authorization server to use instead of starting one. */
  readonly issuer: string | undefined;
}

/** A command line that cannot be run; the message says what to type instead. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: prmkit demo [--framework ${FRAMEWORKS.join('|')}] [--issuer <url>] [--no-color] [--help]

Starts a local OAuth authorization server (auto-approve) and an example MCP server on free
loopback ports, then connects the official MCP SDK client through @prmkit/client knowing
only the server's URL, and shows every step of the flow as it happens.

Options:
  -f, --framework <name>  server framework: ${FRAMEWORKS.join(', ')} (default express)
      --issuer <url>      use this running authorization server instead of starting one
                          (it must approve without a login page, e.g. the local one
                          started with AS_AUTO_APPROVE=1; see apps/authorization-server)
      --no-color          plain output (also when NO_COLOR is set or output is not a terminal)
  -h, --help              show this help
`;

/**
 * Parses the demo's flags; unknown flags and frameworks are a {@link UsageError}.
 *
 * @example
 * ```ts
 * parseDemoArgs(['--framework', 'hono']); // { framework: 'hono', color: true, help: false, issuer: undefined }
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
  return { framework, color: values['no-color'] !== true, help: values.help === true, issuer };
}
