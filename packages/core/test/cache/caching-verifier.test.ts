import { describe, expect, it } from 'vitest';
import { createCachingVerifier } from '@prmkit/core/verify';
import { TokenError } from '@prmkit/core';
import { countingVerifier } from './fake-verifier.js';

const T0 = 1_700_000_000_000; // ms

function clock(start = T0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createCachingVerifier', () => {
  it('verifies once, then serves the same AuthInfo from the cache', async () => {
    const inner = countingVerifier();
    const cache = createCachingVerifier(inner.verifier);
    const first = await cache.verify('tok-1');
    const second = await cache.verify('tok-1');
    expect(inner.calls).toEqual(['tok-1']);
    expect(second).toBe(first);
    expect(second.subject).toBe('sub-tok-1');
    expect(cache.size).toBe(1);
  });

  it('keys on the whole token: distinct tokens are verified separately', async () => {
    const inner = countingVerifier();
    const cache = createCachingVerifier(inner.verifier);
    const a = await cache.verify('tok-a');
    const b = await cache.verify('tok-a ');
    expect(inner.calls).toEqual(['tok-a', 'tok-a ']);
    expect(a.token).toBe('tok-a');
    expect(b.token).toBe('tok-a ');
  });

  it('never serves a token at or past its exp', async () => {
    const c = clock();
    const exp = Math.floor(T0 / 1000) + 2; // expires in 2 s
    const inner = countingVerifier(() => exp);
    const cache = createCachingVerifier(inner.verifier, { now: c.now });
    await cache.verify('tok');
    c.advance(1_999);
    await cache.verify('tok');
    expect(inner.calls).toHaveLength(1);
    c.advance(1); // now === exp
    await cache.verify('tok');
    expect(inner.calls).toHaveLength(2);
  });

  it('does not store a token whose exp has already passed', async () => {
    const c = clock();
    const inner = countingVerifier(() => Math.floor(T0 / 1000) - 1);
    const cache = createCachingVerifier(inner.verifier, { now: c.now });
    await cache.verify('tok');
    await cache.verify('tok');
    expect(inner.calls).toHaveLength(2);
    expect(cache.size).toBe(0);
  });

  it('honours maxAge when exp is later (or absent)', async () => {
    const c = clock();
    const inner = countingVerifier((t) =>
      t === 'no-exp' ? undefined : Math.floor(T0 / 1000) + 3600,
    );
    const cache = createCachingVerifier(inner.verifier, { now: c.now, maxAge: 10 });
    await cache.verify('tok');
    await cache.verify('no-exp');
    c.advance(9_999);
    await cache.verify('tok');
    await cache.verify('no-exp');
    expect(inner.calls).toEqual(['tok', 'no-exp']);
    c.advance(1);
    await cache.verify('tok');
    await cache.verify('no-exp');
    expect(inner.calls).toEqual(['tok', 'no-exp', 'tok', 'no-exp']);
  });

  it('maxAge 0 caches nothing', async () => {
    const inner = countingVerifier();
    const cache = createCachingVerifier(inner.verifier, { maxAge: 0 });
    await cache.verify('tok');
    await cache.verify('tok');
    expect(inner.calls).toHaveLength(2);
  });

  it('evicts the least recently used token first', async () => {
    const inner = countingVerifier();
    const cache = createCachingVerifier(inner.verifier, { maxEntries: 3 });
    for (const t of ['a', 'b', 'c']) await cache.verify(t);
    await cache.verify('a'); // a is now the most recent; b the least
    await cache.verify('d'); // evicts b
    expect(cache.size).toBe(3);
    inner.calls.length = 0;
    await cache.verify('a');
    await cache.verify('c');
    await cache.verify('d');
    expect(inner.calls).toEqual([]);
    await cache.verify('b');
    expect(inner.calls).toEqual(['b']); // b had been evicted; re-adding it evicts a
    inner.calls.length = 0;
    await cache.verify('a');
    expect(inner.calls).toEqual(['a']);
  });

  it('shares one verification between concurrent misses for the same token', async () => {
    const inner = countingVerifier();
    const cache = createCachingVerifier(inner.verifier);
    const release = inner.hold();
    const pending = Array.from({ length: 50 }, () => cache.verify('tok'));
    const other = cache.verify('other');
    expect(inner.calls).toEqual(['tok', 'other']);
    release();
    const results = await Promise.all(pending);
    expect(new Set(results).size).toBe(1);
    expect((await other).subject).toBe('sub-other');
    expect(inner.calls).toEqual(['tok', 'other']);
  });

  it('does not cache failures, and concurrent waiters all see the failure', async () => {
    const inner = countingVerifier();
    const cache = createCachingVerifier(inner.verifier);
    const release = inner.hold();
    const pending = [cache.verify('bad-1'), cache.verify('bad-1')];
    release();
    for (const p of pending) await expect(p).rejects.toBeInstanceOf(TokenError);
    expect(inner.calls).toEqual(['bad-1']);
    await expect(cache.verify('bad-1')).rejects.toMatchObject({ code: 'signature_invalid' });
    expect(inner.calls).toEqual(['bad-1', 'bad-1']);
    expect(cache.size).toBe(0);
  });

  it('turns a synchronous throw of the inner verifier into a rejection', async () => {
    const cache = createCachingVerifier({
      verify: () => {
        throw new TokenError('token_malformed', 'sync');
      },
    });
    await expect(cache.verify('x')).rejects.toMatchObject({ code: 'token_malformed' });
    await expect(cache.verify('x')).rejects.toMatchObject({ code: 'token_malformed' });
  });

  it('deep-freezes the shared AuthInfo so one request cannot change the next', async () => {
    const inner = countingVerifier();
    const cache = createCachingVerifier(inner.verifier);
    const auth = await cache.verify('tok');
    expect(() => (auth.scopes as string[]).push('admin')).toThrow(TypeError);
    expect(() => {
      (auth.claims.nested as { roles: string[] }).roles[0] = 'root';
    }).toThrow(TypeError);
    expect((await cache.verify('tok')).scopes).toEqual(['read']);
  });

  it('clear() empties the cache and drops verifications already in flight', async () => {
    const inner = countingVerifier();
    const cache = createCachingVerifier(inner.verifier);
    await cache.verify('tok');
    const release = inner.hold();
    const pending = cache.verify('late');
    cache.clear();
    release();
    await pending;
    expect(cache.size).toBe(0);
    await cache.verify('tok');
    expect(inner.calls).toEqual(['tok', 'late', 'tok']);
  });

  it('rejects invalid options', () => {
    const inner = countingVerifier();
    expect(() => createCachingVerifier(inner.verifier, { maxEntries: 0 })).toThrow(RangeError);
    expect(() => createCachingVerifier(inner.verifier, { maxEntries: 1.5 })).toThrow(RangeError);
    expect(() => createCachingVerifier(inner.verifier, { maxAge: -1 })).toThrow(RangeError);
    expect(() => createCachingVerifier(inner.verifier, { maxAge: Number.NaN })).toThrow(RangeError);
  });
});
