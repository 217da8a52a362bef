import { parseArgs } from 'node:util';
import type { AllowHttp, AllowPrivateNetwork } from '@prmkit/client';
import { PrmkitError } from '@prmkit/core';
import type { CliErrorCode } from './errors.js';
import { DEFAULT_TIMEOUT_MS } from './inspect.js';

/** What the command line asks for. */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'inspect';
      readonly url: string;
      readonly token: string | undefined;
      readonly json: boolean;
      readonly timeoutMs: number;
      readonly allowHttp: AllowHttp;
      readonly allowPrivateNetwork: AllowPrivateNetwork;
      /** PEM files of a client certificate for every request (RFC 8705 bound calls). */
      readonly clientCertificate: ClientCertificateFiles | undefined;
      /** `--trust-jwks`: a file path or an http(s) URL, as given. */
      readonly trustJwks: string | undefined;
    };

/** `--cert`, `--key` and optionally `--ca`: PEM file paths. */
export interface ClientCertificateFiles {
  readonly cert: string;
  readonly key: string;
  readonly ca: string | undefined;
}

/** Bad command line: printed with the usage, exit code 2. */
export class UsageError extends PrmkitError<CliErrorCode> {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('usage_invalid', message);
  }
}

export const USAGE = `Usage: prmkit inspect <url> [options]

Checks the OAuth discovery chain of a protected MCP server against the specs:
the 401 challenge, the protected resource metadata (RFC 9728), each authorization
server's metadata (RFC 8414) and, with --token, a real call.

Options:
  --token <token>          access token for a real call (or set PRMKIT_TOKEN)
  --json                   print the report as JSON (for CI)
  --timeout <ms>           per-request timeout, default ${DEFAULT_TIMEOUT_MS}
  --allow-http-loopback    accept plain http on 127.0.0.1, ::1 and localhost
  --allow-private-network  accept URLs from the server naming private, link-local,
                           CGNAT or unique-local addresses (intranet servers)
  --cert <file> --key <file>
                           present this client certificate (PEM) on every request, so
                           a certificate-bound token (RFC 8705) can be called with
  --ca <file>              also trust this CA (PEM) for the servers' certificates
  --trust-jwks <file|URL>  check signed_metadata (RFC 9728 §2.2) with these keys, a JWKS
                           you obtained out of band (never the document's jwks_uri)
  -h, --help               show this help
  -v, --version            show the version

Exit codes: 0 nothing failed, 1 something failed, 2 usage error.
`;

const MAX_TIMEOUT_MS = 600_000;

/**
 * Parses `prmkit` arguments (without the node and script paths). Throws {@link UsageError}
 * for anything it does not understand.
 *
 * @example
 * ```ts
 * parseCommand(['inspect', 'https://mcp.example.com/mcp', '--json'], {});
 * // { kind: 'inspect', url: 'https://mcp.example.com/mcp', json: true, ... }
 * ```
 */
export function parseCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('missing command (try: prmkit inspect <url>)');
  if (command === 'help') return { kind: 'help' };
  if (command !== 'inspect') throw new UsageError(`unknown command: ${command}`);
  if (rest.length === 0) throw new UsageError('missing <url>');
  if (rest.length > 1) throw new UsageError(`one URL expected, got ${rest.length}`);
  const url = rest[0] ?? '';

  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    if (!/^\d+$/.test(values.timeout))
      throw new UsageError(
        `--timeout must be a whole number of milliseconds, got ${values.timeout}`,
      );
    timeoutMs = Number(values.timeout);
    if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS)
      throw new UsageError(`--timeout must be between 1 and ${MAX_TIMEOUT_MS} ms`);
  }
  const token = values.token ?? (env['PRMKIT_TOKEN'] === '' ? undefined : env['PRMKIT_TOKEN']);
  if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError('--token must be a non-empty token of visible ASCII characters');
  }
  const { cert, key, ca } = values;
  if ((cert === undefined) !== (key === undefined))
    throw new UsageError('--cert and --key go together');
  if (ca !== undefined && cert === undefined) throw new UsageError('--ca needs --cert and --key');
  return {
    kind: 'inspect',
    url,
    token,
    clientCertificate: cert !== undefined && key !== undefined ? { cert, key, ca } : undefined,
    json: values.json === true,
    timeoutMs,
    allowHttp: values['allow-http-loopback'] === true ? 'loopback' : undefined,
    allowPrivateNetwork:
      values['allow-private-network'] === true ? 'private-and-link-local' : undefined,
    trustJwks: values['trust-jwks'],
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      token: { type: 'string' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
      'allow-http-loopback': { type: 'boolean' },
      'allow-private-network': { type: 'boolean' },
      cert: { type: 'string' },
      key: { type: 'string' },
      ca: { type: 'string' },
      'trust-jwks': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
