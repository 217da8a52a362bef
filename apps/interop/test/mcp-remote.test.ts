// mcp-remote (the stdio bridge desktop MCP clients use) against the Express example server
// and the bundled authorization server: the SDK v2 client talks stdio to mcp-remote, which
// does OAuth on its own. Its browser step goes through `open` → xdg-open → $BROWSER, here a
// script that drives the auto-approving login (support/headless-browser.mjs).
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startAuthorizationServer } from '@prmkit/authorization-server';
import type { RunningAuthorizationServer } from '@prmkit/authorization-server';
import type { RunningExampleServer } from '@prmkit/example-tools';
import { freePort } from '@prmkit/interop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVERS } from './support/servers.js';
import { textOf } from './support/trace.js';

const require = createRequire(import.meta.url);
const MCP_REMOTE = join(require.resolve('mcp-remote/package.json'), '..', 'dist', 'proxy.js');
const BROWSER = fileURLToPath(new URL('./support/headless-browser.mjs', import.meta.url));

interface Login {
  readonly authorizationUrl: string;
  readonly callbackStatus?: number;
  readonly error?: string;
}

describe('mcp-remote 0.15 → express example server', () => {
  let as: RunningAuthorizationServer;
  let server: RunningExampleServer;
  let scratch: string;
  let callbackPort: number;
  const stderr: string[] = [];

  beforeAll(async () => {
    as = await startAuthorizationServer({ port: 0, autoApprove: {} });
    server = await SERVERS.express({ port: 0, issuer: as.issuer });
    scratch = await mkdtemp(join(tmpdir(), 'prmkit-mcp-remote-'));
    callbackPort = await freePort();
  });
  afterAll(async () => {
    await server?.close();
    await as?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const logins = async (): Promise<Login[]> => {
    const text = await readFile(join(scratch, 'browser.log'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Login);
  };

  /** One mcp-remote process, as a desktop client would start it. */
  async function connect(): Promise<Client> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      // No desktop: xdg-open falls back to $BROWSER.
      if (
        value !== undefined &&
        !/^(DISPLAY|WAYLAND_DISPLAY|XDG_CURRENT_DESKTOP|DESKTOP_SESSION)$/.test(key)
      )
        env[key] = value;
    }
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MCP_REMOTE, server.url, String(callbackPort), '--host', '127.0.0.1'],
      env: {
        ...env,
        MCP_REMOTE_CONFIG_DIR: join(scratch, 'config'),
        BROWSER,
        INTEROP_BROWSER_LOG: join(scratch, 'browser.log'),
      },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    const client = new Client({ name: 'interop-desktop', version: '0' });
    try {
      await client.connect(transport, { timeout: 20_000 });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new Error(
        `mcp-remote did not connect: ${String(error)}\nlogins: ${JSON.stringify(await logins())}\n${stderr.join('')}`,
      );
    }
    return client;
  }

  it('logs in headlessly, lists and calls tools, steps up to mcp:admin', async () => {
    const client = await connect();
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['admin_stats', 'echo', 'whoami']);
      const first = await logins();
      expect(first).toHaveLength(1);
      expect(first[0]?.callbackStatus).toBe(200);
      expect(new URL(first[0]?.authorizationUrl ?? '').searchParams.get('resource')).toBe(
        server.resource,
      );

      const echo = await client.callTool({ name: 'echo', arguments: { text: 'via mcp-remote' } });
      expect(textOf(echo)).toBe('via mcp-remote');

      const stats = await client.callTool({ name: 'admin_stats', arguments: {} });
      expect(stats.isError, textOf(stats)).toBeFalsy();
      expect(JSON.parse(textOf(stats))).toMatchObject({ toolCalls: expect.any(Number) });
      const all = await logins();
      expect(all, JSON.stringify(all, null, 1)).toHaveLength(2);
      const stepUp = new URL(all[1]?.authorizationUrl ?? '').searchParams.get('scope') ?? '';
      expect(stepUp.split(' ')).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));

      const me = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as {
        scopes: string[];
      };
      expect(me.scopes).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));
    } finally {
      await client.close();
    }
  });

  it('restarts with the stored tokens: no new login', async () => {
    const stored = await readdir(join(scratch, 'config'), { recursive: true });
    expect(stored.some((name) => String(name).endsWith('_tokens.json'))).toBe(true);
    const client = await connect();
    try {
      const stats = await client.callTool({ name: 'admin_stats', arguments: {} });
      expect(stats.isError, textOf(stats)).toBeFalsy();
      expect(await logins()).toHaveLength(2);
    } finally {
      await client.close();
    }
  });
});
