import { spawn } from 'node:child_process';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/**
 * Starts one server process (server-child.mjs) and resolves with its port and a stop
 * function that ends it by its PID (SIGTERM, then SIGKILL after 5 s).
 * @param {{ id: string }} c
 * @param {Record<string, unknown>} env
 * @param {{ benchDir: string, profile?: boolean }} o
 */
export async function startServer(c, env, o) {
  const profileArgs = o.profile
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${o.benchDir}profiles`,
        `--cpu-prof-name=${c.id.replaceAll('/', '-')}.cpuprofile`,
      ]
    : [];
  const child = spawn(
    process.execPath,
    [
      ...profileArgs,
      fileURLToPath(new URL('./server-child.mjs', import.meta.url)),
      JSON.stringify(env),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: o.benchDir },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
    if (!done) child.kill('SIGKILL');
  };
  try {
    const port = await new Promise((resolve, reject) => {
      let out = '';
      const timer = globalThis.setTimeout(
        () => reject(new Error('server did not start within 20 s')),
        20_000,
      );
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (!out.includes('\n')) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(out.split('\n')[0]).port);
        } catch (error) {
          reject(error);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}`));
      });
    });
    return { port, stop, pid: child.pid };
  } catch (error) {
    await stop();
    throw error;
  }
}
