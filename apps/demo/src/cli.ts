import { parseDemoArgs, USAGE, UsageError } from './args.js';
import { runDemo } from './run-demo.js';
import { runGatewayDemo } from './run-gateway-demo.js';
import type { OutputSink } from './reporter.js';
import { colorEnabled } from './style.js';

/** What the command needs from its process; tests pass buffers. */
export interface CliIo {
  readonly stdout: OutputSink & { isTTY?: boolean };
  readonly stderr: OutputSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT: the demo stops and closes its servers. */
  readonly signal?: AbortSignal;
}

/**
 * The `prmkit demo` command: parses flags, runs the demo and returns the exit code
 * (0 success, 1 failure, 2 bad usage).
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['--framework', 'fastify'], { stdout: process.stdout, stderr: process.stderr, env: process.env });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseDemoArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`prmkit demo: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const color = colorEnabled({ flag: args.color, env: io.env, isTTY: io.stdout.isTTY === true });
  if (args.gateway) {
    const gateway = await runGatewayDemo({
      out: io.stdout,
      color,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    return gateway.ok ? 0 : 1;
  }
  const result = await runDemo({
    framework: args.framework,
    out: io.stdout,
    color,
    ...(args.issuer === undefined ? {} : { issuer: args.issuer }),
    authorizationServer: args.as,
    dpop: args.dpop,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  return result.ok ? 0 : 1;
}
