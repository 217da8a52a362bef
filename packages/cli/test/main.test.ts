import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestIssuer } from '@prmkit/testing';
import { EXIT, main } from '../src/index.js';
import type { Report } from '../src/index.js';
import { goodIssuer, startBrokenServer, startCoreServer } from './fixtures.js';
import type { CoreServer } from './fixtures.js';

class Buffer {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

async function run(argv: string[], opts: { tty?: boolean; env?: Record<string, string> } = {}) {
  const stdout = new Buffer(opts.tty);
  const stderr = new Buffer(opts.tty);
  const code = await main(argv, { stdout, stderr, env: opts.env ?? {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

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

describe('prmkit main: usage', () => {
  it('--help and --version exit 0', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toContain('Usage: prmkit inspect <url>');
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [[]],
    [['inspect']],
    [['frobnicate', 'https://x.example/mcp']],
    [['inspect', 'https://x.example/mcp', '--bogus']],
    [['inspect', 'https://x.example/mcp', '--timeout', 'soon']],
    [['inspect', 'https://x.example/mcp', '--timeout', '0']],
    [['inspect', 'a', 'b']],
    [['inspect', 'not a url']],
    [['inspect', 'ftp://x.example/mcp']],
    [['inspect', 'https://x.example/mcp', '--token', 'has space']],
  ])('%j is a usage error: exit 2', async (argv) => {
    const result = await run(argv);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('Usage:');
    expect(result.stdout).toBe('');
  });
});

describe('prmkit main: inspect', () => {
  it('exit 0 and a text report when nothing fails', async () => {
    const result = await run(['inspect', server.url, '--allow-http-loopback']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('OK:');
    // Plain progress lines on a non-TTY stderr.
    expect(result.stderr).toMatch(/^… GET .* -> 401/m);
    expect(result.stdout).not.toContain('\u001b[');
  });

  it('exit 1 when a check fails; --json is a stable, parseable shape without progress', async () => {
    const broken = await startBrokenServer({
      issuer: issuer.issuer,
      resource: (r) => `${r}/wrong`,
    });
    try {
      const result = await run(['inspect', broken.mcpUrl, '--allow-http-loopback', '--json']);
      expect(result.code).toBe(EXIT.failed);
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as Report;
      expect(report.schemaVersion).toBe(1);
      expect(report.ok).toBe(false);
      expect(report.summary.fail).toBeGreaterThan(0);
      expect(Object.keys(report)).toEqual([
        'schemaVersion',
        'tool',
        'url',
        'startedAt',
        'durationMs',
        'ok',
        'summary',
        'steps',
        'requests',
      ]);
      const check = report.steps.flatMap((s) => s.checks).find((c) => c.status === 'fail');
      expect(check).toMatchObject({ id: 'resource_metadata.resource', spec: 'RFC 9728 §3.3' });
      expect(Object.keys(check ?? {})).toEqual(['id', 'status', 'reason', 'spec']);
    } finally {
      await broken.close();
    }
  });

  it('http without --allow-http-loopback fails (exit 1) without sending anything', async () => {
    const result = await run(['inspect', server.url, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.requests).toEqual([]);
  });

  it('colors on a TTY, none with NO_COLOR; progress rewrites one line on a TTY', async () => {
    const colored = await run(['inspect', server.url, '--allow-http-loopback'], { tty: true });
    expect(colored.stdout).toContain('\u001b[32mPASS\u001b[0m');
    expect(colored.stderr).toContain('\r\u001b[2K');
    const plain = await run(['inspect', server.url, '--allow-http-loopback'], {
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(plain.stdout).not.toContain('\u001b[3');
    expect(plain.stdout).toContain('PASS');
  });

  it('server-controlled text cannot inject terminal escapes', async () => {
    // The issuer string is printed as a step title, unparsed: it must come out escaped.
    const evil = 'http://127.0.0.1:1/\u001b]0;pwned\u0007\nFAKE';
    const broken = await startBrokenServer({ issuer: evil });
    try {
      const result = await run(['inspect', broken.mcpUrl, '--allow-http-loopback']);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        'Authorization server http://127.0.0.1:1/\\u001b]0;pwned\\u0007\\u000aFAKE',
      );
      for (const out of [result.stdout, result.stderr]) {
        expect(out).not.toContain('\u001b]');
        expect(out).not.toContain('\u0007');
        expect(out).not.toContain('\nFAKE');
      }
    } finally {
      await broken.close();
    }
  });

  it('reads the token from PRMKIT_TOKEN', async () => {
    const token = await issuer.mint({ aud: 'https://elsewhere.example/mcp' });
    const result = await run(['inspect', server.url, '--allow-http-loopback', '--json'], {
      env: { PRMKIT_TOKEN: token },
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.steps.find((s) => s.id === 'token_call')?.checks[0]).toMatchObject({
      id: 'token_call.accepted',
      status: 'fail',
    });
    expect(result.stdout).not.toContain(token);
  });
});
