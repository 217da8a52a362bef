import { readFile } from 'node:fs/promises';
import type { FetchLike } from '@prmkit/client';
import { createMtlsFetch, type MtlsFetch } from '@prmkit/client/node';
import { USAGE, UsageError, parseCommand } from './args.js';
import { loadTrustedJwks } from './trust-jwks.js';
import { InspectUsageError, inspect } from './inspect.js';
import { renderJson } from './render/json.js';
import { createProgress } from './render/progress.js';
import type { ProgressStream } from './render/progress.js';
import { sanitize, styleFor } from './render/style.js';
import { renderText } from './render/text.js';
import { packageVersion } from './version.js';

/**
 * Exit codes of `prmkit`: `ok` (0) nothing failed, `failed` (1) at least one check failed,
 * `usage` (2) bad arguments or a non-http(s) URL.
 *
 * @example
 * ```ts
 * const code = await main(['inspect', 'https://mcp.example.com/mcp'], io);
 * if (code === EXIT.failed) console.error('the server is not discoverable as MCP expects');
 * ```
 * @see MCP 2025-11-25 Authorization (the flow whose checks decide `failed`)
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Where `main` reads and writes; `process` in the bin, buffers in tests. */
export interface MainIo {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch?: FetchLike;
}

/**
 * Runs `prmkit` with `argv` (without the node and script paths) and resolves to the exit
 * code: 0 when nothing failed, 1 when a check failed, 2 on a usage error. The report goes
 * to stdout, progress and errors to stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
 * ```
 * @see MCP 2025-11-25 Authorization; RFC 9728 §3, §5.1; RFC 8414 §3 (what `inspect` checks)
 */
export async function main(argv: readonly string[], io: MainIo): Promise<number> {
  let command: ReturnType<typeof parseCommand>;
  try {
    command = parseCommand(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`prmkit: ${sanitize(error.message)}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (command.kind === 'help') {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (command.kind === 'version') {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }

  const errStyle = styleFor(io.stderr, io.env);
  // JSON output stays clean for CI: progress only when a person watches stderr.
  const progress =
    !command.json || io.stderr.isTTY === true ? createProgress(io.stderr, errStyle) : undefined;
  let mtls: MtlsFetch | undefined;
  let trustJwks: Awaited<ReturnType<typeof loadTrustedJwks>>;
  try {
    trustJwks = await loadTrustedJwks(command.trustJwks);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`prmkit: ${sanitize(error.message)}\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    const files = command.clientCertificate;
    if (files) {
      // Every request presents the certificate (an undici Agent): discovery and the token call.
      mtls = createMtlsFetch({
        cert: await readFile(files.cert, 'utf8'),
        key: await readFile(files.key, 'utf8'),
        ...(files.ca !== undefined && { ca: await readFile(files.ca, 'utf8') }),
      });
    }
    const report = await inspect(command.url, {
      trustJwks,
      token: command.token,
      timeoutMs: command.timeoutMs,
      allowHttp: command.allowHttp,
      allowPrivateNetwork: command.allowPrivateNetwork,
      onProgress: progress?.onProgress,
      fetch: mtls?.fetch ?? io.fetch,
    });
    progress?.done();
    io.stdout.write(
      command.json ? renderJson(report) : renderText(report, styleFor(io.stdout, io.env)),
    );
    return report.ok ? EXIT.ok : EXIT.failed;
  } catch (error) {
    progress?.done();
    if (error instanceof InspectUsageError) {
      io.stderr.write(`prmkit: ${sanitize(error.message)}\n\n${USAGE}`);
      return EXIT.usage;
    }
    io.stderr.write(
      `prmkit: unexpected error: ${sanitize(error instanceof Error ? error.message : String(error))}\n`,
    );
    return EXIT.failed;
  } finally {
    await mtls?.close();
  }
}
