import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

// Measure what the cache retains, not garbage awaiting collection: a real gc() first.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const retainedHeap = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};
import { createCachingVerifier } from '@prmkit/core/verify';
import type { AuthInfo, TokenVerifier } from '@prmkit/core';

describe('token cache memory', () => {
  it('stays bounded with 1,000,000 distinct tokens', { timeout: 120_000 }, async () => {
    // A cheap inner verifier: this test is about the cache's bound, not about crypto.
    const inner: TokenVerifier = {
      verify: (token) =>
        Promise.resolve<AuthInfo>({
          token,
          subject: 'user',
          clientId: 'client',
          scopes: ['read', 'write'],
          audience: ['https://rs.example/mcp'],
          issuer: 'https://as.example',
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
          claims: { sub: 'user', scope: 'read write', jti: token.slice(-16) },
        }),
    };
    const maxEntries = 10_000;
    const cache = createCachingVerifier(inner, { maxEntries });
    const padding = 'x'.repeat(200); // token-sized keys (~250 characters)
    const before = retainedHeap();
    const checkpoints: number[] = [];
    let peakSize = 0;
    for (let i = 0; i < 1_000_000; i++) {
      await cache.verify(`${padding}.${i.toString(36)}.${(i * 7919).toString(36)}`);
      if (cache.size > peakSize) peakSize = cache.size;
      if (i % 200_000 === 199_999) checkpoints.push(retainedHeap() - before);
    }
    expect(peakSize).toBe(maxEntries);
    expect(cache.size).toBe(maxEntries);
    // 10,000 entries of ~1 KB each: a fixed ceiling, far below what 1,000,000 would need.
    for (const retained of checkpoints) expect(retained).toBeLessThan(50 * 1024 * 1024);
    // And no growth between the first and last checkpoint (800,000 more tokens).
    expect(checkpoints.at(-1)! - checkpoints[0]!).toBeLessThan(8 * 1024 * 1024);
  });
});
