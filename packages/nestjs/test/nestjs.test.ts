import 'reflect-metadata';
import {
  Catch,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Injectable,
  Module,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import type { ArgumentsHost, CanActivate, ExceptionFilter, ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthInfo, ResourceServer, ResourceServerConfig } from '@prmkit/core';
import { PrmkitConfigError, createResourceServer } from '@prmkit/core';
import { isResourceServerSet } from '@prmkit/core/adapter';
import {
  Auth,
  PRMKIT_RESOURCE_SERVER,
  PrmkitGuard,
  PrmkitModule,
  Public,
  RequireScopes,
} from '@prmkit/nestjs';
import type { PrmkitConfigFactory } from '@prmkit/nestjs';
import { createTestIssuer, freePort } from '@prmkit/testing';
import type { TestIssuer } from '@prmkit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authView, platforms, startApp, startSuiteApp } from './nest-app.js';
import type { RunningApp } from './nest-app.js';

let issuer: TestIssuer;
let port: number;
let resource: string;
let config: ResourceServerConfig;

beforeAll(async () => {
  port = await freePort();
  resource = `http://127.0.0.1:${port}/mcp`;
  issuer = await createTestIssuer({ audience: resource, scope: 'mcp:tools' });
  config = {
    resource,
    authorizationServers: [issuer.issuer],
    scopesSupported: ['mcp:tools', 'mcp:admin', 'mcp:read', 'mcp:write'],
    requiredScopes: ['mcp:tools'],
    toolScopes: { admin_stats: ['mcp:admin'] },
    jwt: { jwksUri: issuer.jwksUri },
    allowHttp: 'loopback',
  };
});

afterAll(async () => {
  await issuer.close();
});

const running: RunningApp[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) await app.close();
});
async function track(app: Promise<RunningApp>): Promise<RunningApp> {
  const started = await app;
  running.push(started);
  return started;
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const headersOf = (res: Response): Record<string, string> =>
  Object.fromEntries(res.headers.entries());

describe.each(platforms)('@prmkit/nestjs on platform-%s', (platform) => {
  describe('suite routes', () => {
    let app: RunningApp;
    let rs: ResourceServer;
    beforeAll(async () => {
      app = await startSuiteApp(platform, config, port);
      rs = createResourceServer(config);
    });
    afterAll(async () => {
      await app.close();
    });

    it('serves the metadata at every well-known path, exactly as the core answers', async () => {
      expect(rs.metadataPaths).toEqual([
        '/.well-known/oauth-protected-resource/mcp',
        '/.well-known/oauth-protected-resource',
      ]);
      for (const path of rs.metadataPaths) {
        const res = await fetch(`${app.url}${path}`);
        const expected = rs.handleMetadataRequest({ method: 'GET', url: path, headers: {} });
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(expected.body);
        const got = headersOf(res);
        for (const [name, value] of Object.entries(expected.headers)) expect(got[name]).toBe(value);
        expect(JSON.parse(expected.body)).toMatchObject({
          resource,
          authorization_servers: [issuer.issuer],
        });
      }
    });

    it('answers HEAD, OPTIONS, If-None-Match and other methods through the core', async () => {
      const url = `${app.url}${rs.metadataPath}`;
      const head = await fetch(url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      expect(head.headers.get('etag')).toBeTruthy();

      const cached = await fetch(url, {
        headers: { 'if-none-match': head.headers.get('etag') ?? '' },
      });
      expect(cached.status).toBe(304);

      const preflight = await fetch(url, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');

      const post = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    });

    it('writes a refusal verbatim: status, WWW-Authenticate, content type and body (no Nest exception JSON)', async () => {
      const res = await fetch(`${app.url}/mcp`);
      const expected = await rs.authorize({ method: 'GET', url: '/mcp', headers: {} });
      if (expected.ok) throw new Error('expected a refusal');
      expect(res.status).toBe(401);
      const got = headersOf(res);
      for (const [name, value] of Object.entries(expected.headers)) expect(got[name]).toBe(value);
      expect(got['www-authenticate']).toContain(`resource_metadata="${rs.metadataUrl}"`);
      const body = await res.text();
      expect(body).toBe(expected.body);
      expect(body).not.toContain('statusCode');
    });

    it('refuses a forged token with 401 invalid_token', async () => {
      const forged = await issuer.mint({}, { key: 'other' });
      const res = await fetch(`${app.url}/mcp`, { headers: bearer(forged) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(await res.json()).toMatchObject({ error: 'invalid_token' });
    });

    it('accepts a valid token and hands the handler the verified auth', async () => {
      const token = await issuer.mint({ sub: 'alice', client_id: 'c1' });
      const res = await fetch(`${app.url}/mcp`, { headers: bearer(token) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        subject: 'alice',
        clientId: 'c1',
        scopes: ['mcp:tools'],
        audience: [resource],
        issuer: issuer.issuer,
      });
    });

    it('applies @RequireScopes: 403 insufficient_scope without, 200 with', async () => {
      const weak = await issuer.mint({ sub: 'bob' });
      const denied = await fetch(`${app.url}/mcp/admin`, { headers: bearer(weak) });
      expect(denied.status).toBe(403);
      const challenge = denied.headers.get('www-authenticate') ?? '';
      expect(challenge).toContain('error="insufficient_scope"');
      expect(challenge).toContain('mcp:admin');

      const strong = await issuer.mint({ sub: 'bob', scope: 'mcp:tools mcp:admin' });
      const ok = await fetch(`${app.url}/mcp/admin`, { headers: bearer(strong) });
      expect(ok.status).toBe(200);
    });

    it('leaves @Public() routes open', async () => {
      const res = await fetch(`${app.url}/public`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok');
    });

    it('hands the parsed JSON body to the core for per-tool scopes', async () => {
      const token = await issuer.mint({ sub: 'carol' });
      const call = (name: string): Promise<Response> =>
        fetch(`${app.url}/mcp`, {
          method: 'POST',
          headers: { ...bearer(token), 'content-type': 'application/json' },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'tools/call',
            params: { name, arguments: {} },
          }),
        });
      const admin = await call('admin_stats');
      expect(admin.status).toBe(403);
      expect(admin.headers.get('www-authenticate')).toContain('mcp:admin');
      const other = await call('echo');
      expect(other.status).toBe(200);
      expect(await other.json()).toMatchObject({ subject: 'carol' });
    });
  });

  it('a malformed JSON body: challenge first on the endpoint, the platform 400 once authorized, other paths untouched', async () => {
    @Controller()
    class BodyController {
      @Post('mcp')
      @HttpCode(200)
      mcp(): string {
        return 'reached';
      }

      @Public()
      @Post('hooks')
      @HttpCode(200)
      hook(): string {
        return 'reached';
      }
    }
    const app = await track(
      startApp({
        platform,
        prmkit: PrmkitModule.forRoot(config, { globalGuard: true }),
        controllers: [BodyController],
      }),
    );
    const post = (path: string, token?: string): Promise<Response> =>
      fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) },
        body: '{"jsonrpc":',
      });
    expect((await post('/mcp')).status).toBe(401);
    const weak = await post('/mcp', await issuer.mint({}));
    expect(weak.status).toBe(403);
    expect(weak.headers.get('www-authenticate')).toContain('mcp:admin');
    // Every scope granted: the body is still malformed, and the platform says so.
    expect((await post('/mcp', await issuer.mint({ scope: 'mcp:tools mcp:admin' }))).status).toBe(
      400,
    );
    // A public JSON route elsewhere keeps the platform's answer.
    expect((await post('/hooks')).status).toBe(400);
  });

  it.runIf(platform === 'express')(
    'reads the JSON body itself when the platform parser is off (bodyParser: false)',
    async () => {
      @Controller()
      class RawController {
        @Post('mcp')
        @HttpCode(200)
        mcp(@Req() req: { body?: unknown }): unknown {
          return { body: req.body ?? null };
        }
      }
      const app = await track(
        startApp({
          platform,
          prmkit: PrmkitModule.forRoot(config, { globalGuard: true }),
          controllers: [RawController],
          bodyParser: false,
        }),
      );
      const token = await issuer.mint({});
      const call = (body: string): Promise<Response> =>
        fetch(`${app.url}/mcp`, {
          method: 'POST',
          headers: { ...bearer(token), 'content-type': 'application/json' },
          body,
        });
      const message = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo' } };
      const echo = await call(JSON.stringify(message));
      expect(echo.status).toBe(200);
      expect(await echo.json()).toEqual({ body: message });
      const admin = await call(JSON.stringify({ ...message, params: { name: 'admin_stats' } }));
      expect(admin.status).toBe(403);
      expect((await call('{"broken"')).status).toBe(403);
      const strong = await issuer.mint({ scope: 'mcp:tools mcp:admin' });
      const broken = await fetch(`${app.url}/mcp`, {
        method: 'POST',
        headers: { ...bearer(strong), 'content-type': 'application/json' },
        body: '{"broken"',
      });
      expect(broken.status).toBe(400);
    },
  );

  it('refuses two Authorization headers with 400 invalid_request', async () => {
    const app = await track(startSuiteApp(platform, config));
    const token = await issuer.mint({});
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${app.url}/mcp`, {
        headers: [
          ['authorization', `Bearer ${token}`],
          ['authorization', `Bearer ${token}`],
        ].flat(),
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });

  it('handler @RequireScopes overrides the controller one; controller scopes apply otherwise', async () => {
    @Controller('scoped')
    @RequireScopes('mcp:read')
    class ScopedController {
      @Get('read')
      read(): string {
        return 'read';
      }

      @Get('write')
      @RequireScopes('mcp:write')
      write(): string {
        return 'write';
      }
    }
    const app = await track(
      startApp({
        platform,
        prmkit: PrmkitModule.forRoot(config, { globalGuard: true }),
        controllers: [ScopedController],
      }),
    );
    const reader = await issuer.mint({ scope: 'mcp:tools mcp:read' });
    const writer = await issuer.mint({ scope: 'mcp:tools mcp:write' });
    const status = async (path: string, token: string): Promise<number> =>
      (await fetch(`${app.url}/scoped/${path}`, { headers: bearer(token) })).status;

    expect(await status('read', reader)).toBe(200);
    expect(await status('read', writer)).toBe(403);
    // The handler's scopes replace the controller's: a writer without mcp:read gets in.
    expect(await status('write', writer)).toBe(200);
    expect(await status('write', reader)).toBe(403);
  });

  it('@Public() on a controller opens every route, and @Auth() is then undefined', async () => {
    @Controller('open')
    @Public()
    class OpenController {
      @Get()
      get(@Auth() auth: AuthInfo | undefined): Record<string, unknown> {
        return authView(auth);
      }
    }
    const app = await track(
      startApp({
        platform,
        prmkit: PrmkitModule.forRoot(config, { globalGuard: true }),
        controllers: [OpenController],
      }),
    );
    const res = await fetch(`${app.url}/open`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ auth: null });
  });

  it('@Auth(key) returns one field; @Auth() the whole AuthInfo', async () => {
    @Controller('me')
    class MeController {
      @Get()
      me(
        @Auth() auth: AuthInfo,
        @Auth('subject') subject: string | undefined,
      ): Record<string, unknown> {
        return {
          subject,
          expiresAt: auth.expiresAt,
          sameToken: typeof auth.token === 'string',
          sub: auth.claims.sub,
        };
      }
    }
    const app = await track(
      startApp({
        platform,
        prmkit: PrmkitModule.forRoot(config, { globalGuard: true }),
        controllers: [MeController],
      }),
    );
    const token = await issuer.mint({ sub: 'dave' });
    const res = await fetch(`${app.url}/me`, { headers: bearer(token) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ subject: 'dave', sameToken: true, sub: 'dave' });
    expect(typeof body.expiresAt).toBe('number');
  });

  it('forRootAsync with a config service (imports + inject + useFactory)', async () => {
    @Injectable()
    class AppConfig {
      readonly values: Record<string, string> = {
        RESOURCE: resource,
        ISSUER: issuer.issuer,
        JWKS: issuer.jwksUri,
      };
      getOrThrow(key: string): string {
        const value = this.values[key];
        if (value === undefined) throw new Error(`missing ${key}`);
        return value;
      }
    }
    @Module({ providers: [AppConfig], exports: [AppConfig] })
    class AppConfigModule {}

    const app = await track(
      startApp({
        platform,
        prmkit: PrmkitModule.forRootAsync({
          imports: [AppConfigModule],
          inject: [AppConfig],
          useFactory: async (env: AppConfig) => ({
            resource: env.getOrThrow('RESOURCE'),
            authorizationServers: [env.getOrThrow('ISSUER')],
            requiredScopes: ['mcp:tools'],
            jwt: { jwksUri: env.getOrThrow('JWKS') },
            allowHttp: 'loopback' as const,
          }),
          globalGuard: true,
        }),
      }),
    );
    const meta = await fetch(`${app.url}/.well-known/oauth-protected-resource/mcp`);
    expect(meta.status).toBe(200);
    expect(await meta.json()).toMatchObject({ resource });
    expect((await fetch(`${app.url}/mcp`)).status).toBe(401);
    const token = await issuer.mint({ sub: 'erin' });
    expect((await fetch(`${app.url}/mcp`, { headers: bearer(token) })).status).toBe(200);
  });

  it('forRootAsync with a factory that returns several resources', async () => {
    const other = resource.replace(/\/mcp$/, '/other');
    const member = (r: string) => ({
      resource: r,
      authorizationServers: [issuer.issuer],
      jwt: { jwksUri: issuer.jwksUri },
      allowHttp: 'loopback' as const,
    });
    const app = await track(
      startApp({
        platform,
        prmkit: PrmkitModule.forRootAsync({
          useFactory: () => [member(resource), member(other)],
          globalGuard: true,
        }),
      }),
    );
    expect(isResourceServerSet(app.app.get(PRMKIT_RESOURCE_SERVER))).toBe(true);
    for (const [path, expected] of [
      ['/mcp', resource],
      ['/other', other],
    ] as const) {
      const meta = await fetch(`${app.url}/.well-known/oauth-protected-resource${path}`);
      expect(meta.status).toBe(200);
      expect(await meta.json()).toMatchObject({ resource: expected });
    }
    expect((await fetch(`${app.url}/.well-known/oauth-protected-resource`)).status).toBe(404);
    const own = await issuer.mint({ aud: resource });
    expect((await fetch(`${app.url}/mcp`, { headers: bearer(own) })).status).toBe(200);
    const foreign = await issuer.mint({ aud: other });
    expect((await fetch(`${app.url}/mcp`, { headers: bearer(foreign) })).status).toBe(401);
  });

  it('forRootAsync with useClass builds the config from a factory class', async () => {
    @Injectable()
    class ConfigFactory implements PrmkitConfigFactory {
      createPrmkitConfig(): ResourceServerConfig {
        return { ...config, resourceName: 'from useClass' };
      }
    }
    const app = await track(
      startApp({
        platform,
        prmkit: PrmkitModule.forRootAsync({ useClass: ConfigFactory, globalGuard: true }),
      }),
    );
    const meta = await fetch(`${app.url}/.well-known/oauth-protected-resource/mcp`);
    expect(await meta.json()).toMatchObject({ resource_name: 'from useClass' });
    expect((await fetch(`${app.url}/mcp`)).status).toBe(401);
  });

  it('forRootAsync with useExisting reuses a provider of an imported module', async () => {
    @Injectable()
    class SharedFactory implements PrmkitConfigFactory {
      createPrmkitConfig(): ResourceServerConfig {
        return { ...config, resourceName: 'from useExisting' };
      }
    }
    @Module({ providers: [SharedFactory], exports: [SharedFactory] })
    class SharedModule {}
    const app = await track(
      startApp({
        platform,
        prmkit: PrmkitModule.forRootAsync({
          imports: [SharedModule],
          useExisting: SharedFactory,
          globalGuard: true,
        }),
      }),
    );
    const meta = await fetch(`${app.url}/.well-known/oauth-protected-resource`);
    expect(await meta.json()).toMatchObject({ resource_name: 'from useExisting' });
  });

  it('works next to the app’s own guards (global and controller-level), in order', async () => {
    const seen: string[] = [];
    @Injectable()
    class ApiVersionGuard implements CanActivate {
      canActivate(context: ExecutionContext): boolean {
        const req = context
          .switchToHttp()
          .getRequest<{ headers: Record<string, string | undefined> }>();
        return req.headers['x-api-version'] === '1';
      }
    }
    @Injectable()
    class OnlyAliceGuard implements CanActivate {
      canActivate(context: ExecutionContext): boolean {
        const req = context.switchToHttp().getRequest<{ auth?: AuthInfo }>();
        seen.push(req.auth?.subject ?? '(none)');
        if (req.auth?.subject !== 'alice') throw new ForbiddenException('alice only');
        return true;
      }
    }
    @Controller('team')
    @UseGuards(OnlyAliceGuard)
    class TeamController {
      @Get()
      get(@Auth('subject') subject: string | undefined): string {
        return `hello ${subject ?? ''}`;
      }
    }
    const app = await track(
      startApp({
        platform,
        prmkit: PrmkitModule.forRoot(config),
        controllers: [TeamController],
        // The app's own global guards, registered by the app: PrmkitGuard first.
        providers: [
          { provide: APP_GUARD, useClass: PrmkitGuard },
          { provide: APP_GUARD, useClass: ApiVersionGuard },
        ],
      }),
    );
    const alice = await issuer.mint({ sub: 'alice' });
    const bob = await issuer.mint({ sub: 'bob' });
    const get = (headers: Record<string, string>): Promise<Response> =>
      fetch(`${app.url}/team`, { headers });

    const noToken = await get({ 'x-api-version': '1' });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer /);

    const wrongVersion = await get({ ...bearer(alice) });
    expect(wrongVersion.status).toBe(HttpStatus.FORBIDDEN);
    expect(wrongVersion.headers.get('www-authenticate')).toBeNull();

    const notAlice = await get({ ...bearer(bob), 'x-api-version': '1' });
    expect(notAlice.status).toBe(403);
    expect(await notAlice.json()).toMatchObject({ message: 'alice only' });

    const ok = await get({ ...bearer(alice), 'x-api-version': '1' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('hello alice');
    expect(seen).toEqual(['bob', 'alice']);
  });

  it('the challenge survives an app-wide catch-all exception filter', async () => {
    @Catch()
    class CatchAll implements ExceptionFilter {
      catch(exception: unknown, host: ArgumentsHost): void {
        const res = host.switchToHttp().getResponse<{ status?: unknown; code?: unknown }>();
        const status = (exception as { getStatus?: () => number }).getStatus?.() ?? 500;
        const body = JSON.stringify({ wrapped: true, status });
        if (typeof res.code === 'function') {
          (
            res as unknown as {
              code(s: number): { header(n: string, v: string): { send(b: string): void } };
            }
          )
            .code(status)
            .header('content-type', 'application/json')
            .send(body);
        } else {
          (res as unknown as { status(s: number): { type(t: string): { send(b: string): void } } })
            .status(status)
            .type('application/json')
            .send(body);
        }
      }
    }
    const app = await track(
      startApp({
        platform,
        prmkit: PrmkitModule.forRoot(config, { globalGuard: true }),
        configure: (nest) => nest.useGlobalFilters(new CatchAll()),
      }),
    );
    const res = await fetch(`${app.url}/mcp`);
    expect(res.status).toBe(401);
    // Whichever filter wrote the body, the RFC 6750 challenge is there.
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });

  it('serves metadata at the root well-known paths even with a global prefix', async () => {
    const app = await track(
      startApp({
        platform,
        prmkit: PrmkitModule.forRoot(config, { globalGuard: true }),
        configure: (nest) => nest.setGlobalPrefix('api'),
      }),
    );
    expect((await fetch(`${app.url}/.well-known/oauth-protected-resource/mcp`)).status).toBe(200);
    expect((await fetch(`${app.url}/api/mcp`)).status).toBe(401);
  });

  it('exposes the ResourceServer under PRMKIT_RESOURCE_SERVER', async () => {
    @Controller('rs')
    @Public()
    class RsController {
      constructor(@Inject(PRMKIT_RESOURCE_SERVER) private readonly rs: ResourceServer) {}
      @Get()
      get(): string {
        return this.rs.metadataUrl;
      }
    }
    const app = await track(
      startApp({ platform, prmkit: PrmkitModule.forRoot(config), controllers: [RsController] }),
    );
    expect(await (await fetch(`${app.url}/rs`)).text()).toBe(
      `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`,
    );
  });

  it('a bad configuration fails the boot with PrmkitConfigError', async () => {
    await expect(
      startApp({
        platform,
        prmkit: PrmkitModule.forRoot({ resource: 'not a url', authorizationServers: [] }),
      }),
    ).rejects.toBeInstanceOf(PrmkitConfigError);
  });
});

describe('PrmkitModule.forRootAsync option checks', () => {
  it('requires exactly one of useFactory, useClass, useExisting', () => {
    expect(() => PrmkitModule.forRootAsync({})).toThrow(/exactly one/);
    expect(() => PrmkitModule.forRootAsync({ useFactory: () => config, useExisting: 'x' })).toThrow(
      /exactly one/,
    );
  });
});

describe('@RequireScopes', () => {
  it('rejects a value that is not an RFC 6749 scope token', () => {
    expect(() => RequireScopes('has space')).toThrow(/invalid scope token/);
    expect(() => RequireScopes('quote"')).toThrow(/invalid scope token/);
  });
});
