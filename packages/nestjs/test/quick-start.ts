// The README's quick start, verbatim: type-checked with the package and booted by quick-start.test.ts.
import 'reflect-metadata';
import { Controller, Get, Module, Post, Req } from '@nestjs/common';
import type { AuthInfo } from '@prmkit/core';
import { Auth, PrmkitModule, Public, RequireScopes } from '@prmkit/nestjs';

@Controller('mcp')
export class McpController {
  @Post()
  handle(@Auth() auth: AuthInfo, @Req() req: { body: unknown }) {
    // Hand req (req.raw on Fastify) and req.body to your MCP transport here.
    return { subject: auth.subject, scopes: auth.scopes, body: req.body };
  }

  @Get('admin')
  @RequireScopes('mcp:admin')
  admin(@Auth('subject') subject: string | undefined) {
    return { admin: subject };
  }

  @Public()
  @Get('health')
  health() {
    return 'ok';
  }
}

@Module({
  imports: [
    PrmkitModule.forRoot(
      {
        resource: 'https://api.example.com/mcp',
        authorizationServers: ['https://auth.example.com'],
        scopesSupported: ['mcp:tools', 'mcp:admin'],
        requiredScopes: ['mcp:tools'],
        toolScopes: { admin_stats: ['mcp:admin'] },
      },
      { globalGuard: true },
    ),
  ],
  controllers: [McpController],
})
export class AppModule {}
