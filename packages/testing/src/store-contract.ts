import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Structural copies of @prmkit/core's store interfaces: this package must not depend on
// core (core's tests depend on it).
interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}
interface Store extends KeyValueStore {
  addIfAbsent(key: string, ttlMs: number): Promise<boolean>;
  increment(key: string, ttlMs: number): Promise<number>;
}

/** How the contract suite gets the store under test. */
export interface StoreContractTarget<S extends KeyValueStore> {
  /** Called once before the suite. */
  readonly create: () => S | Promise<S>;
  /** Called once after the suite (close connections). */
  readonly dispose?: (store: S) => void | Promise<void>;
  /** Whether `addIfAbsent` and `increment` are offered (a full `Store`). */
  readonly atomic: S extends Store ? boolean : false;
  /** Skip the whole suite (a service that is not installed). */
  readonly skip?: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
let counter = 0;
/** A key no other test of this run uses, in the shape prmkit uses. */
const freshKey = (what: string): string =>
  `contract:${what}:${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/**
 * The one behaviour every store implementation must show: the memory store, Redis and
 * Workers KV run this same suite. TTLs are checked against the wall clock, so the suite
 * needs a real store, not a fake clock.
 *
 * @example
 * ```ts
 * describeStoreContract('memory', { create: () => createMemoryStore(), atomic: true });
 * ```
 */
export function describeStoreContract<S extends KeyValueStore>(
  name: string,
  target: StoreContractTarget<S>,
): void {
  describe.skipIf(target.skip === true)(`store contract: ${name}`, () => {
    let store: S;
    beforeAll(async () => {
      store = await target.create();
    });
    afterAll(async () => {
      if (store !== undefined) await target.dispose?.(store);
    });

    it('get of an absent key is undefined', async () => {
      await expect(store.get(freshKey('absent'))).resolves.toBeUndefined();
    });

    it('set then get returns the value; set again replaces it', async () => {
      const key = freshKey('set');
      await store.set(key, '{"active":true}', 60_000);
      await expect(store.get(key)).resolves.toBe('{"active":true}');
      await store.set(key, 'second', 60_000);
      await expect(store.get(key)).resolves.toBe('second');
    });

    it('keeps any string exactly: unicode, newlines, the longest value allowed', async () => {
      const key = freshKey('exact');
      const text = 'é ☃ 𝄞\n\r\t"\\\u0000 end';
      await store.set(key, text, 60_000);
      await expect(store.get(key)).resolves.toBe(text);
      const longest = 'x'.repeat(65_536);
      await store.set(key, longest, 60_000);
      await expect(store.get(key)).resolves.toBe(longest);
    });

    it('honours the TTL: a value is gone once it expires', async () => {
      const key = freshKey('ttl');
      await store.set(key, 'short', 300);
      await expect(store.get(key)).resolves.toBe('short');
      await sleep(450);
      await expect(store.get(key)).resolves.toBeUndefined();
    });

    it('delete removes a value; deleting an absent key is fine', async () => {
      const key = freshKey('delete');
      await store.set(key, 'v', 60_000);
      await store.delete(key);
      await expect(store.get(key)).resolves.toBeUndefined();
      await expect(store.delete(freshKey('never'))).resolves.toBeUndefined();
    });

    it('keys are independent', async () => {
      const a = freshKey('a');
      const b = freshKey('b');
      await store.set(a, 'A', 60_000);
      await store.set(b, 'B', 60_000);
      await store.delete(a);
      await expect(store.get(b)).resolves.toBe('B');
    });

    it('refuses keys, values and TTLs outside the limits, the same way everywhere', async () => {
      for (const key of ['', 'has space', 'tab\there', 'é', 'k'.repeat(513)]) {
        await expect(store.get(key), JSON.stringify(key)).rejects.toBeInstanceOf(TypeError);
        await expect(store.set(key, 'v', 1000), JSON.stringify(key)).rejects.toBeInstanceOf(
          TypeError,
        );
      }
      const key = freshKey('limits');
      await expect(store.set(key, 'x'.repeat(65_537), 1000)).rejects.toBeInstanceOf(RangeError);
      for (const ttl of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 367 * 86_400_000]) {
        await expect(store.set(key, 'v', ttl), String(ttl)).rejects.toBeInstanceOf(RangeError);
      }
      await expect(store.set(key, 42 as unknown as string, 1000)).rejects.toBeInstanceOf(TypeError);
      await expect(store.get(key)).resolves.toBeUndefined();
    });

    // Registered only for a full Store: KV-like stores do not offer these at all.
    if (target.atomic)
      describe('atomic operations', () => {
        const atomic = (): Store => store as unknown as Store;

        it('addIfAbsent: true the first time, false while the key lives, true after it expires', async () => {
          const key = freshKey('add');
          await expect(atomic().addIfAbsent(key, 300)).resolves.toBe(true);
          await expect(atomic().addIfAbsent(key, 60_000)).resolves.toBe(false);
          await expect(store.get(key)).resolves.toBe('1');
          // The refused second call did not extend the first one's TTL.
          await sleep(450);
          await expect(atomic().addIfAbsent(key, 60_000)).resolves.toBe(true);
        });

        it('addIfAbsent is false for a key written by set', async () => {
          const key = freshKey('add-set');
          await store.set(key, 'v', 60_000);
          await expect(atomic().addIfAbsent(key, 60_000)).resolves.toBe(false);
          await expect(store.get(key)).resolves.toBe('v');
        });

        it('addIfAbsent: exactly one of 50 concurrent calls wins', async () => {
          const key = freshKey('add-race');
          const results = await Promise.all(
            Array.from({ length: 50 }, () => atomic().addIfAbsent(key, 60_000)),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
        });

        it('increment counts from 1 within a fixed window, then starts again', async () => {
          const key = freshKey('count');
          await expect(atomic().increment(key, 400)).resolves.toBe(1);
          await expect(atomic().increment(key, 400)).resolves.toBe(2);
          await sleep(200);
          // A later increment keeps the first deadline (fixed window, not sliding).
          await expect(atomic().increment(key, 60_000)).resolves.toBe(3);
          await expect(store.get(key)).resolves.toBe('3');
          await sleep(300);
          await expect(store.get(key)).resolves.toBeUndefined();
          await expect(atomic().increment(key, 60_000)).resolves.toBe(1);
        });

        it('increment: 100 concurrent calls count to 100, each count seen once', async () => {
          const key = freshKey('count-race');
          const counts = await Promise.all(
            Array.from({ length: 100 }, () => atomic().increment(key, 60_000)),
          );
          expect([...counts].sort((x, y) => x - y)).toEqual(
            Array.from({ length: 100 }, (_, i) => i + 1),
          );
        });

        it('increment of a value that is no counter rejects with TypeError', async () => {
          const key = freshKey('not-a-counter');
          await store.set(key, 'text', 60_000);
          await expect(atomic().increment(key, 60_000)).rejects.toBeInstanceOf(TypeError);
          await expect(store.get(key)).resolves.toBe('text');
        });

        it('atomic operations check their arguments too', async () => {
          await expect(atomic().addIfAbsent('bad key', 1000)).rejects.toBeInstanceOf(TypeError);
          await expect(atomic().increment(freshKey('ttl'), 0)).rejects.toBeInstanceOf(RangeError);
          await expect(atomic().addIfAbsent(freshKey('ttl'), 2.5)).rejects.toBeInstanceOf(
            RangeError,
          );
        });
      });
  });
}
