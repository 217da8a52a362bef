import { describe, expect, it } from 'vitest';
import { UpstreamError } from '@prmkit/core';
import { createMemoryStore } from '@prmkit/core/store';

describe('memory store bounds', () => {
  it('set: past maxEntries the oldest value is dropped first', async () => {
    const store = createMemoryStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await store.set(key, key, 60_000);
    await expect(store.get('a')).resolves.toBeUndefined();
    for (const key of ['b', 'c', 'd']) await expect(store.get(key)).resolves.toBe(key);
    // Rewriting a key makes it the newest.
    await store.set('b', 'b2', 60_000);
    await store.set('e', 'e', 60_000);
    await expect(store.get('c')).resolves.toBeUndefined();
    await expect(store.get('b')).resolves.toBe('b2');
  });

  it('set: past maxCharacters (keys plus values) the oldest values are dropped', async () => {
    const store = createMemoryStore({ maxCharacters: 100 });
    await store.set('k1', 'x'.repeat(40), 60_000);
    await store.set('k2', 'x'.repeat(40), 60_000);
    await store.set('k3', 'x'.repeat(40), 60_000); // 126 characters: k1 goes
    await expect(store.get('k1')).resolves.toBeUndefined();
    await expect(store.get('k2')).resolves.toBeDefined();
    await expect(store.get('k3')).resolves.toBeDefined();
  });

  it('markers are never dropped before their TTL: at maxMarkers, store_full (fail closed)', async () => {
    let clock = 1_000_000;
    const store = createMemoryStore({ maxMarkers: 3, maxEntries: 2, now: () => clock });
    for (const jti of ['j1', 'j2', 'j3'])
      await expect(store.addIfAbsent(jti, 1000)).resolves.toBe(true);
    // Values written by set never push markers out.
    for (const key of ['v1', 'v2', 'v3', 'v4']) await store.set(key, 'v', 1000);
    const full = await store.addIfAbsent('j4', 1000).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(UpstreamError);
    expect((full as UpstreamError).code).toBe('store_full');
    await expect(store.increment('count', 1000)).rejects.toMatchObject({ code: 'store_full' });
    // A replay of a remembered one is still refused, full or not.
    await expect(store.addIfAbsent('j1', 1000)).resolves.toBe(false);
    clock += 1000; // all expired: room again
    await expect(store.addIfAbsent('j4', 1000)).resolves.toBe(true);
    await expect(store.addIfAbsent('j1', 1000)).resolves.toBe(true);
  });

  it('expired entries are swept by later writes, so memory follows live entries', async () => {
    let clock = 0;
    const store = createMemoryStore({ maxMarkers: 100_000, now: () => clock });
    for (let i = 0; i < 50_000; i++) await store.addIfAbsent(`old-${i}`, 10);
    clock += 10;
    // Every write sweeps a few expired ones from the front; a full scan runs when needed.
    for (let i = 0; i < 50_000; i++) await store.addIfAbsent(`new-${i}`, 1_000_000);
    for (let i = 0; i < 50_000; i++) await store.addIfAbsent(`more-${i}`, 1_000_000);
    await expect(store.addIfAbsent('one-more', 1000)).rejects.toMatchObject({ code: 'store_full' });
  });

  it('TTLs to the millisecond', async () => {
    let clock = 5000;
    const store = createMemoryStore({ now: () => clock });
    await store.set('v', 'x', 100);
    await store.addIfAbsent('m', 100);
    await store.increment('c', 100);
    clock += 99;
    await expect(store.get('v')).resolves.toBe('x');
    await expect(store.get('m')).resolves.toBe('1');
    await expect(store.get('c')).resolves.toBe('1');
    clock += 1;
    for (const key of ['v', 'm', 'c']) await expect(store.get(key)).resolves.toBeUndefined();
  });

  it('refuses bad options', () => {
    for (const options of [{ maxEntries: 0 }, { maxMarkers: 1.5 }, { maxCharacters: -1 }]) {
      expect(() => createMemoryStore(options)).toThrow(RangeError);
    }
  });
});
