import { describe, expect, it } from 'vitest';
import { createCachingVerifier } from '@prmkit/core';
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
    const before = process.memoryUsage().heapUsed;
    let peakHeap = before;
    let peakSize = 0;
    for (let i = 0; i < 1_000_000; i++) {
      await cache.verify(`${padding}.${i.toString(36)}.${(i * 7919).toString(36)}`);
      if (cache.size > peakSize) peakSize = cache.size;
      if (i % 10_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    expect(peakSize).toBe(maxEntries);
    expect(cache.size).toBe(maxEntries);
    expect(peakHeap - before).toBeLessThan(100 * 1024 * 1024);
  });
});
