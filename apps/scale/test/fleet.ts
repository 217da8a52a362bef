import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ServiceProcess, startProcess, waitForPort } from '@prmkit/testing';

/** The built entry point of an example server (`pnpm build` first). */
export function exampleServerMain(framework: 'express' | 'fastify' | 'hono' | 'nestjs'): string {
  const main = fileURLToPath(new URL(`../../${framework}-server/dist/main.js`, import.meta.url));
  if (!existsSync(main)) {
    throw new Error(
      `${main} is missing: build first (pnpm build, or turbo run build --filter=@prmkit/scale...)`,
    );
  }
  return main;
}

/** One example server as its own Node process, configured only through its environment. */
export interface ServerProcess extends ServiceProcess {
  readonly port: number;
  readonly framework: string;
  output(): string;
  /** False once the process has exited. */
  running(): boolean;
}

export async function startServerProcess(
  framework: 'express' | 'fastify' | 'hono' | 'nestjs',
  port: number,
  env: Record<string, string>,
): Promise<ServerProcess> {
  let output = '';
  const child = startProcess(
    process.execPath,
    [exampleServerMain(framework)],
    (text) => {
      if (output.length < 20_000) output += text;
    },
    { ...env, PORT: String(port), HOST: '127.0.0.1' },
  );
  let alive = true;
  void child.exited.then(() => {
    alive = false;
  });
  try {
    await waitForPort(port, 20_000, () => alive);
  } catch (error) {
    await child.stop(0);
    throw new Error(`${framework} server did not start: ${String(error)}\n${output}`);
  }
  return Object.assign(child, { port, framework, output: () => output, running: () => alive });
}
