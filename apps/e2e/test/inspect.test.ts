import { startAuthorizationServer } from '@prmkit/authorization-server';
import { inspect, type Report } from '@prmkit/cli';
import { createTestIssuer } from '@prmkit/testing';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, SERVERS } from './servers.js';

const checks = (report: Report) => report.steps.flatMap((s) => s.checks);
const failing = (report: Report): string[] =>
  checks(report)
    .filter((c) => c.status === 'fail')
    .map((c) => `${c.id}: ${c.reason}`);
const statusOf = (report: Report, id: string) => checks(report).find((c) => c.id === id)?.status;

// `prmkit inspect` against every example server: what a developer runs before shipping.
describe.each(FRAMEWORKS)('prmkit inspect against the %s example server', (framework) => {
  const startServer = SERVERS[framework]!;

  it('passes the whole discovery chain against the real authorization server', async () => {
    const as = await startAuthorizationServer({ port: 0, autoApprove: {} });
    const server = await startServer({ port: 0, issuer: as.issuer });
    try {
      const report = await inspect(server.url, { allowHttp: 'loopback', timeoutMs: 5000 });
      expect(failing(report)).toEqual([]);
      expect(statusOf(report, 'resource_metadata.resource')).toBe('pass');
      expect(statusOf(report, 'authorization_server.issuer')).toBe('pass');
      expect(statusOf(report, 'authorization_server.pkce')).toBe('pass');
    } finally {
      await server.close();
      await as.close();
    }
  });

  it('accepts a token for its audience, and its step-up challenge carries scope', async () => {
    const issuer = await createTestIssuer({
      scope: 'mcp:tools',
      metadataOverrides: { authorization_response_iss_parameter_supported: true },
    });
    const server = await startServer({ port: 0, issuer: issuer.issuer });
    try {
      const accepted = await inspect(server.url, {
        allowHttp: 'loopback',
        token: await issuer.mint({ aud: server.url }),
      });
      expect(failing(accepted)).toEqual([]);
      expect(statusOf(accepted, 'token_call.accepted')).toBe('pass');

      const lacking = await inspect(server.url, {
        allowHttp: 'loopback',
        token: await issuer.mint({ aud: server.url, scope: 'unrelated' }),
      });
      expect(failing(lacking)).toEqual([]);
      expect(statusOf(lacking, 'token_call.insufficient_scope')).toBe('pass');

      const foreign = await inspect(server.url, {
        allowHttp: 'loopback',
        token: await issuer.mint({ aud: 'http://127.0.0.1:1/other' }),
      });
      expect(failing(foreign).length).toBeGreaterThan(0);
    } finally {
      await server.close();
      await issuer.close();
    }
  });
});
