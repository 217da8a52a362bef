import { UpstreamError } from '../model/errors.js';
import { checkStoreArguments, isCounterText } from './check.js';
import type { Store } from './types.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Most values kept by `set`; the oldest written is dropped first. Default 10 000. */
  readonly maxEntries?: number;
  /**
   * Most characters (keys plus values) kept by `set`; the oldest written is dropped first
   * beyond it. Default 16 777 216 (about 32 MiB of strings).
   */
  readonly maxCharacters?: number;
  /**
   * Most live markers and counters (`addIfAbsent`, `increment`). These are never dropped
   * before their TTL: forgetting one would let a replay through or reset a limit, so at
   * the bound those operations reject with `UpstreamError('store_full')` instead (fail
   * closed). Default 100 000.
   */
  readonly maxMarkers?: number;
  /** Current time in milliseconds since the epoch (tests). Default `Date.now`. */
  readonly now?: () => number;
}

interface Entry {
  value: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

const SWEEP_STEPS = 16;
const FULL_SWEEP_INTERVAL_MS = 1000;

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`memory store: ${name} must be a positive integer`);
  }
  return n;
}

/**
 * The default {@link Store}: in this process only, bounded, TTLs honoured to the
 * millisecond (an expired entry is never returned; its memory is reclaimed when it is
 * next looked up or swept by a later write).
 *
 * Values written by `set` are a cache: past `maxEntries` or `maxCharacters` the oldest is
 * dropped. Markers and counters are state: they are kept until their TTL, and at
 * `maxMarkers` live ones `addIfAbsent` and `increment` reject with
 * `UpstreamError('store_full')`, so a flood fails closed instead of forgetting a replay.
 * Several instances of a server each have their own memory store: use `@prmkit/redis`
 * to share one.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from '@prmkit/core/store';
import { createResourceServer } from '@prmkit/core';
 *
 * const store = createMemoryStore({ maxEntries: 5000 });
 * const rs = createResourceServer({ ...config, store });
 * ```
 * @see RFC 7662 §4 (cache lifetime), RFC 9449 §11.1 (replay detection state)
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const maxEntries = positiveInteger('maxEntries', options.maxEntries, 10_000);
  const maxCharacters = positiveInteger('maxCharacters', options.maxCharacters, 16_777_216);
  const maxMarkers = positiveInteger('maxMarkers', options.maxMarkers, 100_000);
  const now = options.now ?? Date.now;

  // Map order is write order: the front holds the oldest entries, swept first.
  const values = new Map<string, Entry>();
  const markers = new Map<string, Entry>();
  let characters = 0;
  let lastFullSweep = Number.NEGATIVE_INFINITY;

  const dropValue = (key: string, entry: Entry): void => {
    values.delete(key);
    characters -= key.length + entry.value.length;
  };

  /** The live entry at `key` in `area`, dropping an expired one. */
  const live = (area: Map<string, Entry>, key: string, at: number): Entry | undefined => {
    const entry = area.get(key);
    if (entry === undefined) return undefined;
    if (at < entry.expiresAt) return entry;
    if (area === values) dropValue(key, entry);
    else markers.delete(key);
    return undefined;
  };

  /** Drops expired entries from the front: a few per write, so work stays O(1). */
  const sweepFront = (area: Map<string, Entry>, at: number, steps: number): void => {
    for (const [key, entry] of area) {
      if (steps-- <= 0 || at < entry.expiresAt) return;
      if (area === values) dropValue(key, entry);
      else markers.delete(key);
    }
  };

  /** Room for one more marker, or `store_full`. A full scan at most once a second. */
  const reserveMarker = (at: number): void => {
    sweepFront(markers, at, SWEEP_STEPS);
    if (markers.size < maxMarkers) return;
    if (at - lastFullSweep >= FULL_SWEEP_INTERVAL_MS) {
      lastFullSweep = at;
      for (const [key, entry] of markers) if (!(at < entry.expiresAt)) markers.delete(key);
    }
    if (markers.size >= maxMarkers) {
      throw new UpstreamError(
        'store_full',
        `the in-memory store holds ${maxMarkers} live markers and counters (maxMarkers)`,
      );
    }
  };

  return {
    get(key) {
      try {
        checkStoreArguments('get', key);
        const at = now();
        const entry = live(values, key, at) ?? live(markers, key, at);
        return Promise.resolve(entry?.value);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    set(key, value, ttlMs) {
      try {
        checkStoreArguments('set', key, value, ttlMs);
        const at = now();
        markers.delete(key);
        const previous = values.get(key);
        if (previous !== undefined) dropValue(key, previous);
        values.set(key, { value, expiresAt: at + ttlMs });
        characters += key.length + value.length;
        sweepFront(values, at, SWEEP_STEPS);
        while (values.size > maxEntries || characters > maxCharacters) {
          const oldest = values.entries().next();
          if (oldest.done === true) break;
          dropValue(oldest.value[0], oldest.value[1]);
        }
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    },

    delete(key) {
      try {
        checkStoreArguments('delete', key);
        const entry = values.get(key);
        if (entry !== undefined) dropValue(key, entry);
        markers.delete(key);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    },

    addIfAbsent(key, ttlMs) {
      try {
        checkStoreArguments('addIfAbsent', key, undefined, ttlMs);
        const at = now();
        if (live(values, key, at) !== undefined || live(markers, key, at) !== undefined) {
          return Promise.resolve(false);
        }
        reserveMarker(at);
        markers.set(key, { value: '1', expiresAt: at + ttlMs });
        return Promise.resolve(true);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    increment(key, ttlMs) {
      try {
        checkStoreArguments('increment', key, undefined, ttlMs);
        const at = now();
        const counter = live(markers, key, at);
        if (counter !== undefined) {
          if (!isCounterText(counter.value)) throw new TypeError('store key holds no counter');
          counter.value = String(Number(counter.value) + 1);
          return Promise.resolve(Number(counter.value));
        }
        // A counter written by `set` keeps its deadline and becomes a marker-area entry.
        const written = live(values, key, at);
        if (written !== undefined && !isCounterText(written.value)) {
          throw new TypeError('store key holds no counter');
        }
        reserveMarker(at);
        const count = written === undefined ? 1 : Number(written.value) + 1;
        if (written !== undefined) dropValue(key, written);
        markers.set(key, {
          value: String(count),
          expiresAt: written?.expiresAt ?? at + ttlMs,
        });
        return Promise.resolve(count);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
