import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { describe, expect, it } from 'vitest';
import { AppModule } from './quick-start.js';

describe('README quick start', () => {
  it.each(['express', 'fastify'] as const)(
    'boots on platform-%s and protects /mcp',
    async (platform) => {
      const app =
        platform === 'express'
          ? await NestFactory.create(AppModule, { logger: false })
          : await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
      await app.listen(0, '127.0.0.1');
      try {
        const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
        const meta = await fetch(`${url}/.well-known/oauth-protected-resource/mcp`);
        expect(await meta.json()).toMatchObject({ resource: 'https://api.example.com/mcp' });
        const denied = await fetch(`${url}/mcp`, { method: 'POST' });
        expect(denied.status).toBe(401);
        // A POST without a JSON body cannot be inspected for tools/call: every tool scope is asked for.
        expect(denied.headers.get('www-authenticate')).toBe(
          'Bearer resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/mcp", scope="mcp:tools mcp:admin"',
        );
        const admin = await fetch(`${url}/mcp/admin`);
        expect(admin.status).toBe(401);
        expect(admin.headers.get('www-authenticate')).toContain('scope="mcp:tools mcp:admin"');
        expect(await (await fetch(`${url}/mcp/health`)).text()).toBe('ok');
      } finally {
        await app.close();
      }
    },
  );
});
