import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '@prmkit/testing';
import type { Listening, TestIssuer } from '@prmkit/testing';
import { inspect } from '../src/index.js';
import { goodIssuer, startBrokenServer } from './fixtures.js';

let issuer: TestIssuer;
let sink: Listening;
let sinkHits = 0;
beforeAll(async () => {
  issuer = await goodIssuer();
  // Every decoy issuer lives here and answers 404 (a miss: discovery tries each location).
  sink = await listen((_req, res) => {
    sinkHits += 1;
    res.writeHead(404).end();
  });
});
afterAll(async () => {
  await Promise.all([issuer.close(), sink.close()]);
});

describe('hostile protected resource metadata', () => {
  it('a huge authorization_servers list does not make the inspector walk every entry', async () => {
    const decoys = Array.from({ length: 300 }, (_, i) => `${sink.url}/tenant${i}`);
    const server = await startBrokenServer({
      issuer: issuer.issuer,
      metadata: { authorization_servers: [issuer.issuer, ...decoys] },
    });
    try {
      const report = await inspect(server.mcpUrl, { allowHttp: 'loopback', timeoutMs: 5000 });
      const servers = report.steps.filter((s) => s.id === 'authorization_server');
      // A bounded number of servers is checked; the rest are named as not checked.
      expect(servers.length).toBeLessThanOrEqual(11);
      expect(sinkHits).toBeLessThanOrEqual(10 * 3);
      expect(report.requests.length).toBeLessThan(60);
      const skipped = servers
        .flatMap((s) => s.checks)
        .find((c) => c.id === 'authorization_server.count');
      expect(skipped?.status).toBe('warn');
      expect(skipped?.reason).toContain('291');
    } finally {
      await server.close();
    }
  }, 20_000);
});
