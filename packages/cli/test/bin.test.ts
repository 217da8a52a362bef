import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestIssuer } from '@prmkit/testing';
import { goodIssuer, startBrokenServer, startCoreServer } from './fixtures.js';
import type { CoreServer } from './fixtures.js';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function runBin(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // execFile, never a shell: arguments reach the process verbatim.
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

let issuer: TestIssuer;
let server: CoreServer;
beforeAll(async () => {
  // Build the real bin, as published.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: pkgDir,
    stdio: 'pipe',
  });
  issuer = await goodIssuer();
  server = await startCoreServer(issuer);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

describe('the built bin (node dist/bin.js)', () => {
  it('has a shebang', () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('--version exits 0 with the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const result = await runBin(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('exits 2 on a usage error', async () => {
    const result = await runBin(['inspect']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing <url>');
  });

  it('exits 0 against a correct server', async () => {
    const result = await runBin(['inspect', server.url, '--allow-http-loopback']);
    expect(result.stdout).toContain('0 failed');
    expect(result.code).toBe(0);
  });

  it('exits 1 against a broken server, with JSON on stdout', async () => {
    const broken = await startBrokenServer({ issuer: issuer.issuer, challenge: () => null });
    try {
      const result = await runBin([
        'inspect',
        broken.mcpUrl,
        '--allow-http-loopback',
        '--json',
        '--timeout',
        '5000',
      ]);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as { ok: boolean; summary: { fail: number } };
      expect(report.ok).toBe(false);
      expect(report.summary.fail).toBe(1);
    } finally {
      await broken.close();
    }
  });
});
