import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestIssuer } from '@prmkit/testing';
import { inspect } from '../src/index.js';
import type { Report } from '../src/index.js';
import { goodIssuer, startCoreServer } from './fixtures.js';

// Issue 13 item 4: a server made from a README quick start registers only POST /mcp.

const find = (report: Report, id: string) =>
  report.steps.flatMap((s) => s.checks).find((c) => c.id === id);
const failing = (report: Report): string[] =>
  report.steps.flatMap((s) => s.checks.filter((c) => c.status === 'fail').map((c) => c.id));

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await goodIssuer();
});
afterAll(async () => {
  await issuer.close();
});

describe('inspect probes as an MCP client does', () => {
  it.each([404, 405] as const)(
    'passes a server that answers GET %i and challenges the initialize POST',
    async (getStatus) => {
      const server = await startCoreServer(issuer, { get: getStatus });
      try {
        const token = await issuer.mint({ aud: server.url, scope: 'mcp:read' });
        const report = await inspect(server.url, {
          allowHttp: 'loopback',
          timeoutMs: 5000,
          token,
        });
        expect(failing(report)).toEqual([]);
        expect(report.ok).toBe(true);
        expect(find(report, 'challenge.status')).toMatchObject({
          status: 'pass',
          reason: 'an unauthenticated request is answered 401 Unauthorized',
        });
        expect(find(report, 'challenge.get')).toMatchObject({ status: 'pass' });
        expect(find(report, 'challenge.get')?.reason).toContain(`answered ${getStatus}`);
        expect(find(report, 'token_call.accepted')?.status).toBe('pass');
        // The probe is a real initialize POST with the MCP headers, without a token.
        const post = server.received.find((r) => r.method === 'POST');
        expect(post).toMatchObject({
          accept: 'application/json, text/event-stream',
          contentType: 'application/json',
        });
        expect(JSON.parse(post?.body ?? '{}')).toMatchObject({
          jsonrpc: '2.0',
          method: 'initialize',
        });
        expect(report.requests.filter((r) => r.url === server.url).map((r) => r.method)).toEqual([
          'GET',
          'POST',
          'POST',
        ]);
      } finally {
        await server.close();
      }
    },
  );

  it('fails a GET that is served without a token, reported apart from the POST', async () => {
    const server = await startCoreServer(issuer, { get: 200 });
    try {
      const report = await inspect(server.url, { allowHttp: 'loopback', timeoutMs: 5000 });
      expect(failing(report)).toEqual(['challenge.get']);
      expect(find(report, 'challenge.status')?.status).toBe('pass');
    } finally {
      await server.close();
    }
  });
});
