import { readFileSync } from 'node:fs';
import os from 'node:os';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const benchRoot = fileURLToPath(new URL('..', import.meta.url));

/** Installed version of a dependency of @prmkit/bench (read from its package.json). */
function versionOf(name) {
  try {
    return JSON.parse(readFileSync(`${benchRoot}node_modules/${name}/package.json`, 'utf8'))
      .version;
  } catch {
    return 'not installed';
  }
}

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    'load average at end (1/5/15 min)': os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

export function describeVersions() {
  const names = [
    'express',
    'fastify',
    'hono',
    '@hono/node-server',
    '@nestjs/core',
    'jose',
    'autocannon',
    'express-oauth2-jwt-bearer',
    'mcp-auth',
  ];
  return Object.fromEntries(names.map((n) => [n, versionOf(n)]));
}

/**
 * CPU seconds a process has used so far, all its threads (the event loop and libuv's
 * thread pool, where Web Crypto verifies), from /proc/<pid>/stat; undefined off Linux.
 * @param {number} pid
 */
export function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] and [12] are utime and stime (fields 14 and 15 of proc(5)), in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
// sysconf(_SC_CLK_TCK): 100 on every Linux Node supports.
const CLOCK_TICKS = 100;
