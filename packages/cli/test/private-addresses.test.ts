import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrmkitError } from '@prmkit/core';
import type { AllowPrivateNetwork } from '@prmkit/client';
import type { TestIssuer } from '@prmkit/testing';
import { CLI_ERROR_CODES, InspectUsageError, inspect, main } from '../src/index.js';
import type { Report } from '../src/index.js';
import { parseCommand, UsageError } from '../src/args.js';
import { goodIssuer, startBrokenServer } from './fixtures.js';
import type { BrokenOptions } from './fixtures.js';

// Issue 13 item 11: the CLI follows the client's rule for URLs a server hands over.

const find = (report: Report, id: string) =>
  report.steps.flatMap((s) => s.checks).find((c) => c.id === id);
const failing = (report: Report): string[] =>
  report.steps.flatMap((s) => s.checks.filter((c) => c.status === 'fail').map((c) => c.id));

/** The real fetch, kept on this machine: a test never reaches 10.0.0.1 for real. */
const offlineFetch: typeof globalThis.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (new URL(url).hostname !== '127.0.0.1') throw new TypeError(`offline test: ${url}`);
  return globalThis.fetch(input, init);
};

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await goodIssuer();
});
afterAll(async () => {
  await issuer.close();
});

async function inspectBroken(
  options: Partial<BrokenOptions>,
  extra: { allowPrivateNetwork?: AllowPrivateNetwork } = {},
): Promise<Report> {
  const server = await startBrokenServer({ issuer: issuer.issuer, ...options });
  try {
    return await inspect(server.mcpUrl, {
      allowHttp: 'loopback',
      timeoutMs: 5000,
      fetch: offlineFetch,
      ...extra,
    });
  } finally {
    await server.close();
  }
}

describe('prmkit inspect: private addresses named by the server', () => {
  it.each([
    'https://10.0.0.1/prm',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00::1]/prm',
    'https://100.64.0.1/prm',
    'https://[::ffff:10.0.0.1]/prm',
    'https://0xa9fea9fe/prm',
  ])('fails resource_metadata=%s and never requests it', async (hostile) => {
    const report = await inspectBroken({
      challenge: () => `Bearer resource_metadata="${hostile}", scope="mcp:read"`,
    });
    expect(failing(report)).toContain('challenge.resource_metadata');
    expect(find(report, 'challenge.resource_metadata')?.reason).toContain(
      '--allow-private-network',
    );
    const host = new URL(hostile).host;
    expect(report.requests.some((r) => new URL(r.url).host === host)).toBe(false);
  });

  it('fails a private authorization server without requesting it', async () => {
    const report = await inspectBroken({
      metadata: { authorization_servers: ['https://169.254.169.254'] },
    });
    expect(failing(report)).toContain('authorization_server.https');
    expect(report.requests.some((r) => r.url.includes('169.254.169.254'))).toBe(false);
  });

  it('--allow-private-network accepts it (and the request is made)', async () => {
    const report = await inspectBroken(
      { challenge: () => 'Bearer resource_metadata="https://10.0.0.1/prm", scope="mcp:read"' },
      { allowPrivateNetwork: 'private-and-link-local' },
    );
    expect(find(report, 'challenge.resource_metadata')?.status).toBe('pass');
    expect(report.requests.find((r) => r.url === 'https://10.0.0.1/prm')).toMatchObject({
      status: null,
    });
  });
});

describe('inspect() takes the named literal only', () => {
  it('refuses allowPrivateNetwork: true with a config error naming the new form', async () => {
    const e = await inspect('https://mcp.example.com/mcp', {
      allowPrivateNetwork: true as never,
      fetch: offlineFetch,
    }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'config_invalid' });
    expect((e as Error).message).toContain("'private-and-link-local'");
  });
});

describe('CLI errors carry a code', () => {
  it('usage and URL errors are PrmkitErrors with codes from CLI_ERROR_CODES', async () => {
    expect(() => parseCommand(['inspect'], {})).toThrowError(
      expect.objectContaining({ code: 'usage_invalid' }),
    );
    const e = await inspect('ftp://mcp.example.com/mcp').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InspectUsageError);
    expect(e).toBeInstanceOf(PrmkitError);
    expect(e).toMatchObject({ code: 'url_invalid' });
    expect(new UsageError('x')).toBeInstanceOf(PrmkitError);
    expect([...CLI_ERROR_CODES]).toEqual(['usage_invalid', 'url_invalid']);
  });

  it('parses --allow-private-network', async () => {
    const command = parseCommand(
      ['inspect', 'https://x.example/mcp', '--allow-private-network'],
      {},
    );
    expect(command).toMatchObject({
      kind: 'inspect',
      allowPrivateNetwork: 'private-and-link-local',
    });
    expect(parseCommand(['inspect', 'https://x.example/mcp'], {})).toMatchObject({
      allowPrivateNetwork: undefined,
    });
    const help = { stdout: '', stderr: '' };
    await main(['--help'], {
      stdout: { write: (c: string) => ((help.stdout += c), true) },
      stderr: { write: (c: string) => ((help.stderr += c), true) },
      env: {},
    });
    expect(help.stdout).toContain('--allow-private-network');
  });
});
