import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';

function capture(): { write(text: string): boolean; text(): string; isTTY: boolean } {
  const chunks: string[] = [];
  return { write: (t: string) => (chunks.push(t), true), text: () => chunks.join(''), isTTY: false };
}

describe('demo', () => {
  it('express', async () => {
    const stdout = capture();
    const stderr = capture();
    const code = await runCli(['--framework', 'express'], { stdout, stderr, env: {} });
    console.log(stdout.text(), stderr.text());
    expect(code).toBe(0);
  });
});
