import 'reflect-metadata';
import { Module } from '@nestjs/common';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { PrmkitModule } from '@prmkit/nestjs';
import { createResourceServer } from '@prmkit/core';
import type { ResourceServerConfig } from '@prmkit/core';
import { createExampleMcpHandler, nodeMcpServe } from '@prmkit/example-tools';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import express from 'express';
import type { Express } from 'express';
import { mcpController } from './mcp-controller.js';

/** The Nest application, the Express instance under it, and the MCP handler. */
export interface ExampleNestApp {
  readonly app: INestApplication;
  readonly express: Express;
  readonly mcp: McpHttpHandler;
}

@Module({})
class ExampleMcpModule {
  static register(config: ResourceServerConfig, mcp: McpHttpHandler): DynamicModule {
    return {
      module: ExampleMcpModule,
      // Global guard: every route needs a token unless @Public(); metadata routes are
      // served by the module outside the guard.
      imports: [PrmkitModule.forRoot(config, { globalGuard: true })],
      controllers: [mcpController(new URL(config.resource).pathname, nodeMcpServe(mcp))],
    };
  }
}

/**
 * The example MCP server as a NestJS app on platform-express: `PrmkitModule` serves the
 * RFC 9728 metadata and its global `PrmkitGuard` protects `/mcp` (with the body Nest
 * parsed, for per-tool scopes). Initialized, not listening: mount `express` on a server.
 *
 * @example
 * ```ts
 * const { express } = await createNestApp(config);
 * http.createServer(express).listen(3000, '127.0.0.1');
 * ```
 * @see RFC 9728 §3, RFC 6750 §3
 */
export async function createNestApp(config: ResourceServerConfig): Promise<ExampleNestApp> {
  // Validate before Nest boots, so a bad config throws one clean PrmkitConfigError instead
  // of being logged by Nest's injector first.
  createResourceServer(config);
  const mcp = createExampleMcpHandler();
  const instance = express();
  instance.disable('x-powered-by');
  const app = await NestFactory.create(
    ExampleMcpModule.register(config, mcp),
    new ExpressAdapter(instance),
    {
      logger: ['error', 'warn'],
      abortOnError: false,
    },
  );
  await app.init();
  return { app, express: instance, mcp };
}
