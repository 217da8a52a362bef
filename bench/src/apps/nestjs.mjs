// NestJS 11 on platform-express. Plain JavaScript, so Nest's decorators are applied as
// functions (what TypeScript's compiled output does).
import 'reflect-metadata';
import { Controller, Get, Injectable, Module, Res, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PrmkitGuard, PrmkitModule } from '@prmkit/nestjs';
import { handWrittenGuard } from '../jose-guard.mjs';
import { METADATA_HEADERS, prmkitConfig, STATIC_PATH } from './common.mjs';

/** Applies a method decorator (and any parameter decorators) the way TypeScript emits them. */
function method(target, name, decorators, params = []) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name);
  for (const [index, decorate] of params) decorate(target.prototype, name, index);
  for (const decorate of decorators) decorate(target.prototype, name, descriptor);
  Object.defineProperty(target.prototype, name, descriptor);
}

/** @param {import('./common.mjs').AppEnv} env */
export async function nestjsApp(env) {
  const handWritten = ['jose', 'minimal'].includes(env.variant)
    ? await handWrittenGuard(env)
    : undefined;
  class Noop {
    canActivate() {
      return true;
    }
  }
  Injectable()(Noop);
  class JoseGuard {
    constructor() {
      this.guard = handWritten;
    }
    async canActivate(context) {
      const req = context.switchToHttp().getRequest();
      const payload = await this.guard(req.headers.authorization);
      if (!payload) {
        context.switchToHttp().getResponse().status(401).set('www-authenticate', 'Bearer').end();
        return false;
      }
      req.auth = payload;
      return true;
    }
  }
  Injectable()(JoseGuard);

  class Routes {
    mcp() {
      return { ok: true };
    }
    static(res) {
      res.type('application/json').send(JSON.stringify(env.staticMetadata));
    }
    staticHeaders(res) {
      res.set(METADATA_HEADERS).send(JSON.stringify(env.staticMetadata));
    }
  }
  const guards = {
    noop: [Noop],
    prmkit: [PrmkitGuard],
    'prmkit-miss': [PrmkitGuard],
    jose: [JoseGuard],
    minimal: [JoseGuard],
  };
  method(Routes, 'mcp', [
    Get('mcp'),
    ...(guards[env.variant] ? [UseGuards(...guards[env.variant])] : []),
  ]);
  const staticPath = STATIC_PATH.slice(1);
  if (env.variant === 'static') method(Routes, 'static', [Get(staticPath)], [[0, Res()]]);
  if (env.variant === 'static-headers')
    method(Routes, 'staticHeaders', [Get(staticPath)], [[0, Res()]]);
  Controller()(Routes);

  const usesPrmkit = ['prmkit', 'prmkit-miss', 'metadata'].includes(env.variant);
  if (
    ![
      'none',
      'noop',
      'jose',
      'minimal',
      'static',
      'static-headers',
      'prmkit',
      'prmkit-miss',
      'metadata',
    ].includes(env.variant)
  )
    throw new Error(`nestjs: unknown variant ${env.variant}`);
  class AppModule {}
  Module({
    imports: usesPrmkit ? [PrmkitModule.forRoot(prmkitConfig(env))] : [],
    controllers: [Routes],
    providers: [Noop, JoseGuard],
  })(AppModule);

  const app = await NestFactory.create(AppModule, { logger: false });
  return {
    /** @param {number} port */
    listen: async (port) => {
      await app.listen(port, '127.0.0.1');
      return app.getHttpServer();
    },
  };
}
