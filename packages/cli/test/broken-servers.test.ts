import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestIssuer } from '@prmkit/testing';
import { inspect } from '../src/index.js';
import type { Report } from '../src/index.js';
import { goodIssuer, startBrokenServer } from './fixtures.js';
import type { BrokenOptions } from './fixtures.js';

const failing = (report: Report): string[] =>
  report.steps.flatMap((s) => s.checks.filter((c) => c.status === 'fail').map((c) => c.id));
const status = (report: Report, id: string): string | undefined =>
  report.steps.flatMap((s) => s.checks).find((c) => c.id === id)?.status;

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await goodIssuer();
});
afterAll(async () => {
  await issuer.close();
});

async function inspectBroken(options: Partial<BrokenOptions>, issuerUrl?: string): Promise<Report> {
  const server = await startBrokenServer({ issuer: issuerUrl ?? issuer.issuer, ...options });
  try {
    return await inspect(server.mcpUrl, { allowHttp: 'loopback', timeoutMs: 5000 });
  } finally {
    await server.close();
  }
}

describe('the hand-written server with no mistake', () => {
  it('fails nothing (so each mistake below is the only cause of its FAIL)', async () => {
    const report = await inspectBroken({});
    expect(failing(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(status(report, 'authorization_server.pkce')).toBe('pass');
    expect(status(report, 'resource_metadata.resource')).toBe('pass');
  });
});

describe('each deliberate mistake yields its own FAIL', () => {
  it('wrong resource', async () => {
    const report = await inspectBroken({ resource: (correct) => `${correct}-other` });
    expect(failing(report)).toEqual(['resource_metadata.resource']);
    expect(report.ok).toBe(false);
    const check = report.steps
      .flatMap((s) => s.checks)
      .find((c) => c.id === 'resource_metadata.resource');
    expect(check?.spec).toContain('RFC 9728 §3.3');
    // Discovery discards the document: the authorization server is not consulted.
    expect(status(report, 'authorization_server.metadata')).toBe('skip');
  });

  it('missing challenge', async () => {
    const report = await inspectBroken({ challenge: () => null });
    expect(failing(report)).toEqual(['challenge.www_authenticate']);
    // The metadata is still found at the well-known location.
    expect(status(report, 'resource_metadata.found')).toBe('pass');
  });

  it('error code without credentials', async () => {
    const report = await inspectBroken({
      challenge: (m) => `Bearer error="invalid_token", resource_metadata="${m}", scope="mcp:read"`,
    });
    expect(failing(report)).toEqual(['challenge.error']);
  });

  it('relative resource_metadata', async () => {
    const report = await inspectBroken({
      challenge: () =>
        'Bearer resource_metadata="/.well-known/oauth-protected-resource/mcp", scope="mcp:read"',
    });
    expect(failing(report)).toContain('challenge.resource_metadata');
  });

  it('http authorization server (non-loopback issuer)', async () => {
    const report = await inspectBroken({}, 'http://auth.example.com');
    expect(failing(report)).toEqual(['authorization_server.https']);
    // Nothing was sent to it.
    expect(report.requests.some((r) => r.url.includes('auth.example.com'))).toBe(false);
  });

  it('issuer mismatch', async () => {
    const bad = await goodIssuer({ issuer: 'http://127.0.0.1:1/someone-else' });
    try {
      const report = await inspectBroken({}, bad.issuer);
      expect(failing(report)).toEqual(['authorization_server.issuer']);
    } finally {
      await bad.close();
    }
  });

  it('no S256 (plain only)', async () => {
    const bad = await goodIssuer({ code_challenge_methods_supported: ['plain'] });
    try {
      const report = await inspectBroken({}, bad.issuer);
      expect(failing(report)).toEqual(['authorization_server.pkce']);
    } finally {
      await bad.close();
    }
  });

  it('no S256 (methods not advertised)', async () => {
    const bad = await goodIssuer({ code_challenge_methods_supported: undefined });
    try {
      const report = await inspectBroken({}, bad.issuer);
      expect(failing(report)).toEqual(['authorization_server.pkce']);
    } finally {
      await bad.close();
    }
  });

  it('no authorization_servers', async () => {
    const report = await inspectBroken({ metadata: { authorization_servers: undefined } });
    expect(failing(report)).toEqual(['resource_metadata.authorization_servers']);
  });

  it('a second authorization server without S256 is checked in its own step', async () => {
    const bad = await goodIssuer({ code_challenge_methods_supported: ['plain'] });
    try {
      const report = await inspectBroken({
        metadata: { authorization_servers: [issuer.issuer, bad.issuer] },
      });
      expect(failing(report)).toEqual(['authorization_server.pkce']);
      const servers = report.steps.filter((s) => s.id === 'authorization_server');
      expect(servers.map((s) => s.subject)).toEqual([issuer.issuer, bad.issuer]);
      expect(servers[0]?.checks.every((c) => c.status !== 'fail')).toBe(true);
    } finally {
      await bad.close();
    }
  });

  it('metadata with the wrong content type', async () => {
    const report = await inspectBroken({ metadataContentType: 'text/plain' });
    expect(failing(report)).toEqual(['resource_metadata.response']);
  });

  it('metadata only at the root location, describing the origin: warnings, no FAIL', async () => {
    const report = await inspectBroken({
      metadataPath: '/.well-known/oauth-protected-resource',
      resource: (correct) => new URL(correct).origin,
      challenge: () => 'Bearer scope="mcp:read"',
    });
    expect(failing(report)).toEqual([]);
    expect(status(report, 'challenge.resource_metadata')).toBe('warn');
    expect(status(report, 'resource_metadata.resource')).toBe('warn');
    expect(status(report, 'authorization_server.pkce')).toBe('pass');
  });

  it('unreachable server', async () => {
    const server = await startBrokenServer({ issuer: issuer.issuer });
    const url = server.mcpUrl;
    await server.close();
    const report = await inspect(url, { allowHttp: 'loopback', timeoutMs: 2000 });
    expect(failing(report)).toContain('challenge.status');
    expect(report.ok).toBe(false);
    expect(report.requests[0]).toMatchObject({ method: 'GET', url, status: null });
    expect(report.requests[0]?.error).toBeTypeOf('string');
  });

  it('http server URL without --allow-http-loopback', async () => {
    const report = await inspect('http://127.0.0.1:9/mcp');
    expect(failing(report)).toEqual(['challenge.https']);
    expect(report.requests).toEqual([]);
  });
});
