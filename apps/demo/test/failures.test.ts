import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { runDemo } from '../src/run-demo.js';
import { capture, deadPort, io } from './support.js';

describe('prmkit demo failures', () => {
  it('exits 1 with a readable reason when the authorization server is unreachable', async () => {
    const port = await deadPort();
    const cli = io();
    const code = await runCli(['--issuer', `http://127.0.0.1:${port}`], cli);
    const out = cli.stdout.text();
    expect(code, out).toBe(1);
    expect(out).toMatch(/✘ Demo failed: .*127\.0\.0\.1:\d+/);
    expect(out).toContain(`nothing is listening at http://127.0.0.1:${port}`);
    expect(out).not.toContain('✔ Done');
    if (process.env.DEMO_SHOW) console.log(out);
  });

  it('exits 1 naming the server that could not start, and why', async () => {
    const cli = io();
    // A plain-http issuer that is not loopback: the resource server refuses the config.
    const code = await runCli(['--framework', 'hono', '--issuer', 'http://auth.example.com'], cli);
    const out = cli.stdout.text();
    expect(code, out).toBe(1);
    expect(out).toMatch(/✘ Demo failed: could not start the hono MCP server: .*must use https/s);
    expect(out).not.toContain('initialize');
  });

  it('exits 2 with the usage for an unknown framework or flag, starting nothing', async () => {
    for (const argv of [
      ['--framework', 'koa'],
      ['--port', '1'],
      ['--issuer', 'javascript:alert(1)'],
    ]) {
      const cli = io();
      expect(await runCli(argv, cli)).toBe(2);
      expect(cli.stderr.text()).toContain('Usage: prmkit demo');
      expect(cli.stdout.text()).toBe('');
    }
    const cli = io();
    expect(await runCli(['--framework', 'koa'], cli)).toBe(2);
    expect(cli.stderr.text()).toMatch(
      /unknown framework "koa"; choose one of express, fastify, hono, nestjs/,
    );
  });

  it('prints the usage for --help and exits 0', async () => {
    const cli = io();
    expect(await runCli(['--help'], cli)).toBe(0);
    expect(cli.stdout.text()).toMatch(/^Usage: prmkit demo/);
  });

  it('stops when interrupted and closes the servers it started', async () => {
    const controller = new AbortController();
    let mcpUrl: string | undefined;
    const out = capture();
    const result = await runDemo({
      framework: 'express',
      out,
      color: false,
      signal: controller.signal,
      // Interrupt (like Ctrl-C) as soon as discovery starts.
      fetch: async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : input.toString());
        if (url.pathname === '/mcp') mcpUrl ??= url.href;
        if (url.pathname.startsWith('/.well-known/oauth-protected-resource')) controller.abort();
        return fetch(input, init);
      },
    });
    expect(result.ok, out.text()).toBe(false);
    expect(result.reason).toBe('interrupted');
    expect(out.text()).toContain('✘ Demo failed: interrupted');
    expect(mcpUrl).toBeDefined();
    await expect(fetch(mcpUrl ?? '', { method: 'POST' })).rejects.toThrow();
  });

  it('gives up after its time limit and still closes everything', async () => {
    const out = capture();
    const result = await runDemo({ framework: 'express', out, color: false, timeoutMs: 1 });
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/did not finish within/);
  });
});
