import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '@prmkit/express-server';
import type { RunningExampleServer } from '@prmkit/express-server';
import type { TestIssuer } from '@prmkit/testing';
import { inspect } from '../src/index.js';
import type { Report } from '../src/index.js';
import { goodIssuer } from './fixtures.js';

const checks = (report: Report) => report.steps.flatMap((s) => s.checks);
const failing = (report: Report): string[] =>
  checks(report)
    .filter((c) => c.status === 'fail')
    .map((c) => `${c.id}: ${c.reason}`);

let issuer: TestIssuer;
let server: RunningExampleServer;
beforeAll(async () => {
  issuer = await goodIssuer();
  server = await startServer({ port: 0, issuer: issuer.issuer });
});
afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

describe('the Express example server (apps/express-server)', () => {
  it('passes: nothing fails', async () => {
    const report = await inspect(server.url, { allowHttp: 'loopback', timeoutMs: 5000 });
    expect(failing(report)).toEqual([]);
    expect(checks(report).find((c) => c.id === 'resource_metadata.resource')?.status).toBe('pass');
    expect(checks(report).find((c) => c.id === 'challenge.status')?.status).toBe('pass');
  });

  it('accepts a token for its audience, and steps up with scope', async () => {
    const accepted = await inspect(server.url, {
      allowHttp: 'loopback',
      token: await issuer.mint({ aud: server.url }),
    });
    expect(failing(accepted)).toEqual([]);
    expect(checks(accepted).find((c) => c.id === 'token_call.accepted')?.status).toBe('pass');

    const lacking = await inspect(server.url, {
      allowHttp: 'loopback',
      token: await issuer.mint({ aud: server.url, scope: 'unrelated' }),
    });
    expect(failing(lacking)).toEqual([]);
    expect(checks(lacking).find((c) => c.id === 'token_call.insufficient_scope')?.status).toBe(
      'pass',
    );
  });
});
