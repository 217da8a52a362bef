import 'reflect-metadata';
import { Body, Controller, Get, Header, HttpCode, Module, Post } from '@nestjs/common';
import type { DynamicModule, INestApplication, ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AuthInfo, ResourceServerConfig } from '@prmkit/core';
import { Auth, PrmkitModule, Public, RequireScopes } from '@prmkit/nestjs';

export type Platform = 'express' | 'fastify';
export const platforms: readonly Platform[] = ['express', 'fastify'];

/** What the protected routes answer: the verified auth, minus the token. */
export function authView(auth: AuthInfo | undefined): Record<string, unknown> {
  if (!auth) return { auth: null };
  return {
    subject: auth.subject,
    clientId: auth.clientId,
    scopes: auth.scopes,
    audience: auth.audience,
    issuer: auth.issuer,
    actor: auth.actor,
  };
}

/** The routes of the shared adapter suite. */
@Controller()
export class SuiteController {
  @Get('mcp')
  get(@Auth() auth: AuthInfo): Record<string, unknown> {
    return authView(auth);
  }

  @Post('mcp')
  @HttpCode(200)
  post(@Auth() auth: AuthInfo, @Body() body: unknown): Record<string, unknown> {
    return { ...authView(auth), body };
  }

  @Get('mcp/admin')
  @RequireScopes('mcp:admin')
  admin(@Auth() auth: AuthInfo): Record<string, unknown> {
    return authView(auth);
  }

  @Public()
  @Get('public')
  @Header('content-type', 'text/plain')
  open(): string {
    return 'ok';
  }
}

/** The routes of the shared suite's several-resources app (one PrmkitModule, several resources). */
@Controller()
export class ManyController {
  @Get(['github/mcp', 'jira/mcp'])
  get(@Auth() auth: AuthInfo): Record<string, unknown> {
    return authView(auth);
  }

  @Post(['github/mcp', 'jira/mcp'])
  @HttpCode(200)
  post(@Auth() auth: AuthInfo): Record<string, unknown> {
    return authView(auth);
  }

  @Get('gw/github')
  @RequireScopes('mcp:github:read')
  github(@Auth() auth: AuthInfo): Record<string, unknown> {
    return authView(auth);
  }

  @Get('gw/jira')
  @RequireScopes('mcp:jira:write')
  jira(@Auth() auth: AuthInfo): Record<string, unknown> {
    return authView(auth);
  }

  @Public()
  @Get('public')
  @Header('content-type', 'text/plain')
  open(): string {
    return 'ok';
  }
}

export interface StartOptions {
  readonly platform: Platform;
  /** The PrmkitModule import (forRoot or forRootAsync). */
  readonly prmkit: DynamicModule;
  readonly controllers?: ModuleMetadata['controllers'];
  readonly providers?: ModuleMetadata['providers'];
  readonly imports?: ModuleMetadata['imports'];
  readonly port?: number;
  readonly configure?: (app: INestApplication) => void;
  /** `false` turns the platform's body parser off (Express). */
  readonly bodyParser?: false;
  /** Serve HTTPS, requesting (not requiring) a client certificate. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export interface RunningApp {
  readonly url: string;
  readonly app: INestApplication;
  close(): Promise<void>;
}

/** Boots a real Nest app on 127.0.0.1 (port 0 unless given) on the chosen platform. */
export async function startApp(options: StartOptions): Promise<RunningApp> {
  @Module({
    imports: [options.prmkit, ...(options.imports ?? [])],
    controllers: options.controllers ?? [SuiteController],
    providers: options.providers ?? [],
  })
  class AppModule {}

  const httpsOptions = options.tls && {
    ...options.tls,
    requestCert: true,
    rejectUnauthorized: false,
  };
  const adapter =
    options.platform === 'express'
      ? new ExpressAdapter()
      : new FastifyAdapter(httpsOptions ? { https: httpsOptions } : undefined);
  const app = await NestFactory.create(AppModule, adapter, {
    logger: false,
    abortOnError: false,
    ...(httpsOptions && options.platform === 'express' ? { httpsOptions } : {}),
    ...(options.bodyParser === false ? { bodyParser: false } : {}),
  });
  options.configure?.(app);
  await app.listen(options.port ?? 0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    app,
    close: () => app.close(),
  };
}

/** `startApp` with `PrmkitModule.forRoot(config, { globalGuard: true })` and the suite routes. */
export function startSuiteApp(
  platform: Platform,
  config: ResourceServerConfig,
  port?: number,
  tls?: StartOptions['tls'],
): Promise<RunningApp> {
  return startApp({
    platform,
    prmkit: PrmkitModule.forRoot(config, { globalGuard: true }),
    ...(port === undefined ? {} : { port }),
    ...(tls && { tls }),
  });
}
