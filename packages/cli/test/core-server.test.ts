import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestIssuer } from '@prmkit/testing';
import { inspect, renderText } from '../src/index.js';
import type { Report } from '../src/index.js';
import { goodIssuer, startCoreServer } from './fixtures.js';
import type { CoreServer } from './fixtures.js';

const checks = (report: Report) => report.steps.flatMap((s) => s.checks);
const status = (report: Report, id: string): string | undefined =>
  checks(report).find((c) => c.id === id)?.status;
const failing = (report: Report): string[] =>
  checks(report)
    .filter((c) => c.status === 'fail')
    .map((c) => c.id);

let issuer: TestIssuer;
let server: CoreServer;
beforeAll(async () => {
  issuer = await goodIssuer();
  server = await startCoreServer(issuer);
});
afterAll(async () => {
  await server.close();
  await issuer.close();
});

describe('a correct server built with @prmkit/core', () => {
  it('passes every check of every step', async () => {
    const report = await inspect(server.url, { allowHttp: 'loopback', timeoutMs: 5000 });
    expect(failing(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.summary.fail).toBe(0);
    expect(report.steps.map((s) => s.id)).toEqual([
      'challenge',
      'resource_metadata',
      'authorization_server',
      'token_call',
    ]);
    for (const id of [
      'challenge.status',
      'challenge.www_authenticate',
      'challenge.error',
      'challenge.resource_metadata',
      'challenge.scope',
      'resource_metadata.found',
      'resource_metadata.response',
      'resource_metadata.resource',
      'resource_metadata.authorization_servers',
      'resource_metadata.https',
      'resource_metadata.cache_control',
      'resource_metadata.cors',
      'resource_metadata.well_known',
      'resource_metadata.root',
      'authorization_server.metadata',
      'authorization_server.issuer',
      'authorization_server.pkce',
      'authorization_server.registration',
    ]) {
      expect([id, status(report, id)]).toEqual([id, 'pass']);
    }
    // Without a token, the call is skipped, not failed.
    expect(status(report, 'token_call.accepted')).toBe('skip');
    expect(report.summary.warn).toBe(0);
  });

  it('reports every request it made, and live progress in order', async () => {
    const events: string[] = [];
    const report = await inspect(server.url, {
      allowHttp: 'loopback',
      onProgress: (e) =>
        events.push(
          e.type === 'request'
            ? `request ${e.request.method} ${e.request.status}`
            : `step ${e.step.id}`,
        ),
    });
    expect(events[0]).toBe('request GET 401');
    expect(events.filter((e) => e.startsWith('step '))).toEqual([
      'step challenge',
      'step resource_metadata',
      'step authorization_server',
      'step token_call',
    ]);
    expect(events.filter((e) => e.startsWith('request ')).length).toBe(report.requests.length);
    // The probe, the metadata, CORS (GET + preflight), the root alias, the AS metadata.
    expect(report.requests.map((r) => r.method)).toContain('OPTIONS');
  });

  it('with an accepted --token: the call passes', async () => {
    const token = await issuer.mint({ aud: server.url, scope: 'mcp:read' });
    const report = await inspect(server.url, { allowHttp: 'loopback', token });
    expect(failing(report)).toEqual([]);
    expect(status(report, 'token_call.accepted')).toBe('pass');
    expect(status(report, 'token_call.insufficient_scope')).toBe('skip');
    // The token went to the server URL only.
    expect(issuer.requests.some((r) => JSON.stringify(r.headers).includes(token))).toBe(false);
  });

  it('with a token lacking the scope: the insufficient_scope challenge carries scope', async () => {
    const token = await issuer.mint({ aud: server.url, scope: 'other' });
    const report = await inspect(server.url, { allowHttp: 'loopback', token });
    expect(failing(report)).toEqual([]);
    expect(status(report, 'token_call.accepted')).toBe('pass');
    expect(status(report, 'token_call.insufficient_scope')).toBe('pass');
    const check = checks(report).find((c) => c.id === 'token_call.insufficient_scope');
    expect(check?.reason).toContain('mcp:read');
  });

  it('with a token for another audience: the call fails', async () => {
    const token = await issuer.mint({ aud: 'https://elsewhere.example/mcp', scope: 'mcp:read' });
    const report = await inspect(server.url, { allowHttp: 'loopback', token });
    expect(failing(report)).toEqual(['token_call.accepted']);
    expect(report.ok).toBe(false);
    const check = checks(report).find((c) => c.id === 'token_call.accepted');
    expect(check?.reason).toContain('invalid_token');
  });

  it('renders a readable report grouped by step', async () => {
    const report = await inspect(server.url, { allowHttp: 'loopback' });
    const text = renderText(report, { color: false });
    expect(text).toContain('Challenge');
    expect(text).toContain('Protected resource metadata');
    expect(text).toMatch(/PASS {2}resource is identical to the URL .* \[RFC 9728 §3\.3\]/);
    expect(text).toMatch(/^OK: \d+ passed, 0 warnings, 0 failed/m);
    expect(text).not.toContain('\u001b[');
  });
});

describe('the reason the server gives (issue #16)', () => {
  it('a refused token: the server reason is printed (error and error_description)', async () => {
    const token = await issuer.mint({ aud: 'https://elsewhere.example/mcp', scope: 'mcp:read' });
    const report = await inspect(server.url, { allowHttp: 'loopback', token });
    const check = checks(report).find((c) => c.id === 'token_call.accepted');
    expect(check?.reason).toContain("the server's reason");
    expect(check?.reason).toContain('audience');
  });

  it('an authorization-server outage: 503 is reported as not the token’s fault', async () => {
    const down = await goodIssuer();
    const outage = await startCoreServer(down);
    try {
      const token = await down.mint({ scope: 'mcp:read' });
      down.setJwksMode('error500');
      const report = await inspect(outage.url, { allowHttp: 'loopback', token });
      const check = checks(report).find((c) => c.id === 'token_call.accepted');
      expect(check?.status).toBe('fail');
      expect(check?.reason).toContain('503');
      expect(check?.reason).toContain("not the token's fault");
      expect(check?.reason).toContain('temporarily_unavailable');
      expect(check?.reason).toMatch(/Retry-After "\d+"/);
    } finally {
      await outage.close();
      await down.close();
    }
  });
});
