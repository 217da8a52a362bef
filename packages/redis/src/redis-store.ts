import { createClient } from '@redis/client';
import { type Store, checkStoreArguments, withinStoreBudget } from '@prmkit/core/store';
import { UpstreamError } from '@prmkit/core';

/**
 * The part of a node-redis client the store uses. `createClient()` from `redis` or
 * `@redis/client` satisfies it; so does a test double-free real client of your own.
 */
export interface RedisCommandClient {
  sendCommand(args: readonly string[]): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS). */
  readonly url?: string;
  /**
   * A node-redis client you created and connected yourself (instead of `url`). The store
   * adds an `'error'` listener to it (so a lost connection never crashes the process) and
   * never closes it.
   */
  readonly client?: RedisCommandClient;
  /** Prefix of every key, to share one Redis between deployments. Default `'prmkit:'`. */
  readonly prefix?: string;
  /**
   * Time budget of one operation, ms. Slower (or unreachable) Redis makes the operation
   * reject with `UpstreamError('store_unavailable')`, so the decision fails closed in time.
   * Default 500.
   */
  readonly operationTimeout?: number;
  /** Longest wait between reconnection attempts, ms (backoff from 50 ms). Default 1000. */
  readonly maxReconnectDelay?: number;
  /**
   * Told about connection problems: once when the connection is lost, not per retry.
   * Default: one `console.warn` line per outage. Never receives a token.
   */
  readonly onError?: (error: Error) => void;
}

/** A {@link Store} on Redis, plus its connection's life cycle. */
export interface RedisStore extends Store {
  /** Resolves once the first connection is up (the store fails closed until then). */
  readonly ready: Promise<void>;
  /** Closes the connection the store opened (a `client` you passed stays open). */
  close(): Promise<void>;
}

// INCR, and a TTL only on the counter INCR has just created (a key with no TTL yet), so
// later increments keep the window's deadline. One script: atomic on the server.
const INCREMENT_SCRIPT =
  "local n = redis.call('INCR', KEYS[1]) " +
  "if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end " +
  'return n';

const isNotInteger = (error: unknown): boolean =>
  error instanceof Error && /not an integer|out of range/i.test(error.message);

/**
 * The prmkit store on Redis, through the official node-redis client (`@redis/client`):
 * every instance of a server given the same Redis shares the introspection cache (and,
 * with those features, DPoP replay markers and rate-limit counters). `addIfAbsent` is
 * `SET NX PX`, `increment` one Lua script, both atomic across all instances.
 *
 * Failure semantics: no offline queue, so while Redis is unreachable every operation
 * rejects at once with `UpstreamError('store_unavailable')`; a slow Redis the same after
 * `operationTimeout`. The request waiting for it is refused (fail closed), never accepted,
 * and the process never crashes (an `'error'` listener is always installed). The client
 * reconnects on its own with a capped backoff, so service resumes when Redis is back,
 * without a restart.
 *
 * @example
 * ```ts
 * import { createResourceServer } from '@prmkit/core';
 * import { createRedisStore } from '@prmkit/redis';
 *
 * const store = createRedisStore({ url: process.env.REDIS_URL });
 * const rs = createResourceServer({ ...config, introspection, store });
 * // on shutdown
 * await store.close();
 * ```
 * @see RFC 7662 §4 (shared introspection cache), RFC 9449 §11.1 (replay across instances)
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const prefix = options.prefix ?? 'prmkit:';
  const timeout = options.operationTimeout ?? 500;
  const maxDelay = options.maxReconnectDelay ?? 1000;
  if (!Number.isSafeInteger(timeout) || timeout < 1) {
    throw new RangeError('operationTimeout must be a positive whole number of milliseconds');
  }
  if (!Number.isSafeInteger(maxDelay) || maxDelay < 1) {
    throw new RangeError('maxReconnectDelay must be a positive whole number of milliseconds');
  }
  if ((options.url === undefined) === (options.client === undefined)) {
    throw new TypeError('createRedisStore needs exactly one of url and client');
  }
  if (!/^[\x21-\x7E]*$/.test(prefix) || prefix.length > 64) {
    throw new TypeError('prefix must be at most 64 printable ASCII characters without spaces');
  }

  // One report per outage: the client retries every few hundred ms while Redis is down.
  let reported = false;
  const report =
    options.onError ??
    ((error: Error) => console.warn(`[prmkit/redis] Redis unavailable: ${error.message}`));
  const onError = (error: Error): void => {
    if (reported) return;
    reported = true;
    try {
      report(error);
    } catch {
      // a throwing logger must not turn into an unhandled 'error'
    }
  };

  let owned: ReturnType<typeof createClient> | undefined;
  let client: RedisCommandClient;
  let ready: Promise<void>;
  if (options.client !== undefined) {
    client = options.client;
    client.on('error', onError);
    ready = Promise.resolve();
  } else {
    owned = createClient({
      url: options.url,
      disableOfflineQueue: true,
      commandsQueueMaxLength: 10_000,
      socket: {
        connectTimeout: Math.max(timeout, 1000),
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, maxDelay),
      },
    });
    owned.on('error', onError);
    owned.on('ready', () => {
      reported = false;
    });
    client = owned as unknown as RedisCommandClient;
    ready = owned.connect().then(() => undefined);
    ready.catch(onError);
  }

  const run = async <T>(args: readonly string[]): Promise<T> => {
    try {
      return (await withinStoreBudget(() => client.sendCommand(args), timeout)) as T;
    } catch (error) {
      // INCR on a value that is no counter: the caller's mistake, not an outage.
      if (error instanceof UpstreamError && isNotInteger(error.cause)) {
        throw new TypeError('store key holds no counter', { cause: error.cause });
      }
      throw error;
    }
  };

  const argumentsChecked = (check: () => void): Promise<void> => {
    try {
      check();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  };

  return {
    ready,
    async get(key) {
      await argumentsChecked(() => checkStoreArguments('get', key));
      const value = await run<string | null>(['GET', prefix + key]);
      return value ?? undefined;
    },
    async set(key, value, ttlMs) {
      await argumentsChecked(() => checkStoreArguments('set', key, value, ttlMs));
      await run(['SET', prefix + key, value, 'PX', String(ttlMs)]);
    },
    async delete(key) {
      await argumentsChecked(() => checkStoreArguments('delete', key));
      await run(['DEL', prefix + key]);
    },
    async addIfAbsent(key, ttlMs) {
      await argumentsChecked(() => checkStoreArguments('addIfAbsent', key, undefined, ttlMs));
      const reply = await run<string | null>(['SET', prefix + key, '1', 'NX', 'PX', String(ttlMs)]);
      return reply === 'OK';
    },
    async increment(key, ttlMs) {
      await argumentsChecked(() => checkStoreArguments('increment', key, undefined, ttlMs));
      const count = await run<number>(['EVAL', INCREMENT_SCRIPT, '1', prefix + key, String(ttlMs)]);
      return Number(count);
    },
    async close() {
      if (owned === undefined) return;
      const connection = owned;
      owned = undefined;
      if (connection.isReady) await connection.close();
      else connection.destroy();
    },
  };
}
