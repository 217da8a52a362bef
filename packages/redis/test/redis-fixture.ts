import { createClient } from '@redis/client';
import { type RunningRedis, redisServerPath, startRedisServer } from '@prmkit/testing';

/** `redis-server`, or undefined (the suite is skipped; CI's PRMKIT_REQUIRE_SERVICES=1 fails instead). */
export const REDIS_SERVER = redisServerPath();

const started: RunningRedis[] = [];

/** A fresh redis-server for this test file, stopped by `stopAllRedis`. */
export async function startRedis(port?: number): Promise<RunningRedis> {
  if (REDIS_SERVER === undefined) throw new Error('redis-server is not installed');
  const redis = await startRedisServer(REDIS_SERVER, port);
  started.push(redis);
  return redis;
}

export async function stopAllRedis(): Promise<void> {
  await Promise.all(started.splice(0).map((redis) => redis.stop()));
}

/** A plain node-redis connection for looking at what the store wrote. */
export async function rawClient(url: string) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true or `timeoutMs` passes; resolves the time it took. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return Date.now() - start;
    await sleep(50);
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
