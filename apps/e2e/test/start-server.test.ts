import { PrmkitConfigError } from '@prmkit/core';
import { FRAMEWORKS, SERVERS } from './servers.js';
import { describe, expect, it } from 'vitest';

// Each example server's startServer(), the same checks for all four; the flow is in mcp-flow.
describe.each(FRAMEWORKS)('%s example server: startServer()', (framework) => {
  const startServer = SERVERS[framework]!;

  it('binds port 0 first and derives the default resource from the real port', async () => {
    const server = await startServer({ port: 0, issuer: 'http://127.0.0.1:9' });
    try {
      expect(server.url).toMatch(/^http:\/\/localhost:\d+\/mcp$/);
      expect(server.url).not.toBe('http://localhost:0/mcp');
      expect(server.resource).toBe(server.url);

      const metadata = await fetch(
        new URL('/.well-known/oauth-protected-resource/mcp', server.url),
        { signal: AbortSignal.timeout(5_000) },
      );
      expect(metadata.status).toBe(200);
      expect(((await metadata.json()) as { resource: string }).resource).toBe(server.resource);

      const anonymous = await fetch(server.url, {
        method: 'POST',
        signal: AbortSignal.timeout(5_000),
      });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
    } finally {
      await server.close();
    }
    // Closed means closed: the port no longer answers.
    await expect(fetch(server.url, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  });

  it('uses the configured resource byte for byte', async () => {
    const server = await startServer({
      port: 0,
      issuer: 'http://127.0.0.1:9',
      resource: 'http://127.0.0.1:1234/mcp',
    });
    try {
      expect(server.url).toBe('http://127.0.0.1:1234/mcp');
    } finally {
      await server.close();
    }
  });

  it('refuses a public http resource at startup (core config error)', async () => {
    await expect(
      startServer({
        port: 0,
        issuer: 'https://auth.example.com',
        resource: 'http://mcp.example.com/mcp',
      }),
    ).rejects.toBeInstanceOf(PrmkitConfigError);
  });
});
