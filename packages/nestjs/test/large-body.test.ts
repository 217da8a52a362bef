import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import { createTestIssuer, freePort } from '@prmkit/testing';
import type { TestIssuer } from '@prmkit/testing';
import { PrmkitModule } from '@prmkit/nestjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

@Controller()
class EchoSizeController {
  @Post('mcp')
  @HttpCode(200)
  post(@Body() body: { params?: { arguments?: { blob?: string } } }): { blob: number } {
    return { blob: body.params?.arguments?.blob?.length ?? -1 };
  }
}

describe('@prmkit/nestjs on platform-fastify: a JSON body over 1 MiB on the MCP endpoint', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    const resource = `http://127.0.0.1:${port}/mcp`;
    issuer = await createTestIssuer({ audience: resource, scope: 'mcp:tools' });
    @Module({
      imports: [
        PrmkitModule.forRoot(
          {
            resource,
            authorizationServers: [issuer.issuer],
            requiredScopes: ['mcp:tools'],
            jwt: { jwksUri: issuer.jwksUri },
            allowHttp: 'loopback',
          },
          { globalGuard: true },
        ),
      ],
      controllers: [EchoSizeController],
    })
    class AppModule {}
    // The app allows 4 MiB bodies; the parse-failure hook must not cut one short.
    app = await NestFactory.create(AppModule, new FastifyAdapter({ bodyLimit: 4 * 1024 * 1024 }), {
      logger: false,
      abortOnError: false,
    });
    await app.listen(port, '127.0.0.1');
    url = `http://127.0.0.1:${port}/mcp`;
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  it('reaches the handler whole when authorized', async () => {
    const blob = 'x'.repeat(1_500_000);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await issuer.mint()}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: { blob } },
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ blob: blob.length });
  });
});
