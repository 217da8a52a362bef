import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../listen.js';
import { locateService } from './locate.js';
import { type ServiceProcess, startProcess, waitForPort } from './process.js';

/** The `redis-server` binary, or `undefined` when not installed (see `locateService`). */
export const redisServerPath = (): string | undefined =>
  locateService('redis-server', '/usr/bin/redis-server', 'redis-server');

/** A real redis-server on a loopback port, with its own scratch directory. */
export interface RunningRedis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** PID of the current process (changes on `restart`). */
  readonly pid: number;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
  /** Stops it (SIGTERM by PID) and removes the scratch directory. */
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free 127.0.0.1 port (or `atPort`) with persistence off (`--save ''
 * --appendonly no`) and a scratch directory under the system temp dir; resolves once it
 * accepts connections.
 *
 * @example
 * ```ts
 * const redis = await startRedisServer(path);
 * const store = createRedisStore({ url: redis.url });
 * await redis.stop();
 * ```
 */
export async function startRedisServer(binary: string, atPort?: number): Promise<RunningRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'prmkit-redis-'));
  const port = atPort ?? (await freePort());
  let output = '';
  let current: ServiceProcess | undefined;
  let alive = false;

  const launch = async (): Promise<void> => {
    output = '';
    const started = startProcess(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--protected-mode',
        'yes',
      ],
      (text) => {
        if (output.length < 8000) output += text;
      },
    );
    alive = true;
    void started.exited.then(() => {
      if (current === started) alive = false;
    });
    current = started;
    try {
      await waitForPort(port, 10_000, () => alive);
    } catch (error) {
      await started.stop(0);
      throw new Error(`redis-server did not start: ${String(error)}\n${output}`);
    }
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return current?.pid ?? -1;
    },
    async kill() {
      await current?.stop(0);
    },
    async restart() {
      await current?.stop();
      await launch();
    },
    async stop() {
      await current?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
