import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForPort } from '@prmkit/testing';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** One host: how to run a TypeScript file of `src/` on it. */
export interface Runtime {
  readonly name: 'bun' | 'deno';
  readonly command: string;
  args(script: string): string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The binary the npm package installed (its postinstall puts it in place: see
 * `onlyBuiltDependencies` in pnpm-workspace.yaml), run directly so that stopping it by
 * PID stops the runtime itself, not a launcher.
 */
function binary(pkg: 'bun' | 'deno', relative: string): string {
  const path = join(dirname(require.resolve(`${pkg}/package.json`)), relative);
  if (!existsSync(path))
    throw new Error(`${path} is missing: the ${pkg} package's postinstall did not run`);
  return path;
}

// Deno's own cache (npm metadata, transpiled files) in a scratch directory of this run.
const denoDir = mkdtempSync(join(tmpdir(), 'prmkit-deno-'));
process.once('exit', () => rmSync(denoDir, { recursive: true, force: true }));

export const RUNTIMES: readonly Runtime[] = [
  {
    name: 'bun',
    command: binary('bun', 'bin/bun.exe'),
    // --no-install: resolve from node_modules only, never fetch a missing package.
    args: (script) => ['--no-install', 'run', join('src', script)],
    env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0', DO_NOT_TRACK: '1' },
  },
  {
    name: 'deno',
    command: binary('deno', 'deno'),
    args: (script) => [
      'run',
      '--no-prompt',
      '--allow-net=127.0.0.1',
      '--allow-env',
      '--allow-read',
      join('src', script),
    ],
    env: { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  },
];

/** A runtime process started by a test, stopped by its PID. */
export interface RuntimeProcess {
  readonly exited: Promise<number | null>;
  output(): string;
  stop(): Promise<void>;
}

function spawnScript(
  runtime: Runtime,
  script: string,
  env: Readonly<Record<string, string>>,
): RuntimeProcess & { stdout(): string } {
  const child = spawn(runtime.command, runtime.args(script), {
    cwd: appDir,
    env: { ...process.env, ...runtime.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let all = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    all += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => (all += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', (error) => {
      all += String(error);
      resolve(-1);
    });
  });
  const pid = child.pid;
  return {
    exited,
    output: () => all,
    stdout: () => stdout,
    async stop() {
      if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs `src/<script>` to its end on `runtime`; resolves its stdout, rejects with its output. */
export async function runScript(
  runtime: Runtime,
  script: string,
  env: Readonly<Record<string, string>>,
  timeoutMs = 30_000,
): Promise<string> {
  const proc = spawnScript(runtime, script, env);
  const timer = setTimeout(() => void proc.stop(), timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${runtime.name} ${script} exited ${code}:\n${proc.output()}`);
  return proc.stdout();
}

/** Starts `src/<script>` as a server on 127.0.0.1:`port`; resolves once it listens. */
export async function startServer(
  runtime: Runtime,
  script: string,
  port: number,
  env: Readonly<Record<string, string>>,
): Promise<RuntimeProcess> {
  const proc = spawnScript(runtime, script, { ...env, PORT: String(port) });
  let alive = true;
  void proc.exited.then(() => (alive = false));
  try {
    await waitForPort(port, 20_000, () => alive);
  } catch (error) {
    await proc.stop();
    throw new Error(`${runtime.name} ${script}: ${(error as Error).message}\n${proc.output()}`);
  }
  return proc;
}
