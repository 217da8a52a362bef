import { readServerEnv } from './config.js';
import type { ExampleServerOptions, RunningExampleServer } from './config.js';

/**
 * The env-driven entry point every example server shares: reads `PORT`, `HOST`,
 * `PRMKIT_RESOURCE`, `PRMKIT_ISSUER`, `PRMKIT_JWKS_URI` (see `readServerEnv`), starts the
 * server, prints its MCP URL, and closes it on SIGINT/SIGTERM. A bad environment or config
 * prints every problem and exits 1.
 *
 * @example
 * ```ts
 * await runExampleServer('express', startServer);
 * ```
 * @see RFC 9728 §3.3 (the resource must be the URL clients use)
 */
export async function runExampleServer(
  framework: string,
  startServer: (options: ExampleServerOptions) => Promise<RunningExampleServer>,
): Promise<void> {
  try {
    const server = await startServer(readServerEnv(process.env));
    console.log(`prmkit ${framework} example: MCP endpoint ${server.url}`);
    const stop = (): void => {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
