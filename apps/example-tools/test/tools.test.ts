import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { AuthInfo } from '@prmkit/core';
import { describe, expect, it } from 'vitest';
import { createExampleMcpServer, toSdkAuthInfo } from '@prmkit/example-tools';

const auth: AuthInfo = {
  token: 'not-a-real-token',
  subject: 'alice',
  clientId: 'client-1',
  scopes: ['mcp:tools'],
  audience: ['http://localhost:3000/mcp'],
  issuer: 'http://127.0.0.1:9000',
  expiresAt: 2_000_000_000,
  claims: {},
};

describe('toSdkAuthInfo', () => {
  it('keeps token, client, scopes and expiry, and carries subject and issuer in extra', () => {
    const sdk = toSdkAuthInfo(auth);
    expect(sdk).toMatchObject({
      token: 'not-a-real-token',
      clientId: 'client-1',
      scopes: ['mcp:tools'],
      expiresAt: 2_000_000_000,
    });
    expect(sdk.resource?.href).toBe('http://localhost:3000/mcp');
    expect(sdk.extra).toEqual({
      subject: 'alice',
      issuer: 'http://127.0.0.1:9000',
      audience: ['http://localhost:3000/mcp'],
    });
  });

  it('maps a missing client id to an empty string (the SDK type requires one)', () => {
    expect(toSdkAuthInfo({ ...auth, clientId: undefined }).clientId).toBe('');
  });
});

describe('example tools', () => {
  async function connected(): Promise<Client> {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createExampleMcpServer().connect(serverSide);
    const client = new Client({ name: 'test', version: '0.0.0' });
    await client.connect(clientSide);
    return client;
  }

  it('lists echo, whoami and admin_stats', async () => {
    const client = await connected();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['admin_stats', 'echo', 'whoami']);
    await client.close();
  });

  it('echo returns its text', async () => {
    const client = await connected();
    const result = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(result.content).toEqual([{ type: 'text', text: 'hi' }]);
    await client.close();
  });

  it('whoami fails closed when no verified token reached the tool', async () => {
    const client = await connected();
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBe(true);
    await client.close();
  });
});
