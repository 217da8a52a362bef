import { Global, Inject, Module, Optional } from '@nestjs/common';
import type { DynamicModule, OnModuleInit, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { withDefaultLogger } from '@prmkit/core/adapter';
import { createResourceServer } from '@prmkit/core/node';
import { nestLogger } from './nest-logger.js';
import type { ResourceServer, ResourceServerConfig } from '@prmkit/core';
import { PrmkitExceptionFilter } from './exception-filter.js';
import { PrmkitGuard } from './guard.js';
import { mountMetadataRoutes } from './metadata-routes.js';
import { mountParseFailureHandlers } from './parse-failure.js';
import type { HttpAdapterLike } from './metadata-routes.js';
import type {
  PrmkitConfigFactory,
  PrmkitModuleAsyncOptions,
  PrmkitModuleOptions,
} from './module-options.js';
import { PRMKIT_CONFIG, PRMKIT_CONFIG_FACTORY, PRMKIT_RESOURCE_SERVER } from './tokens.js';

const resourceServerProvider: Provider = {
  provide: PRMKIT_RESOURCE_SERVER,
  // Validates once at startup: a bad config fails the app's boot with PrmkitConfigError.
  useFactory: (config: ResourceServerConfig): ResourceServer =>
    createResourceServer(withDefaultLogger(config, nestLogger) as ResourceServerConfig),
  inject: [PRMKIT_CONFIG],
};

function commonProviders(options: PrmkitModuleOptions): Provider[] {
  const providers: Provider[] = [
    resourceServerProvider,
    PrmkitGuard,
    { provide: APP_FILTER, useClass: PrmkitExceptionFilter },
  ];
  if (options.globalGuard === true) providers.push({ provide: APP_GUARD, useClass: PrmkitGuard });
  return providers;
}

const exported = [PRMKIT_RESOURCE_SERVER, PRMKIT_CONFIG, PrmkitGuard];

function asyncConfigProviders(options: PrmkitModuleAsyncOptions): Provider[] {
  const ways = [options.useFactory, options.useClass, options.useExisting].filter(
    (w) => w !== undefined,
  );
  if (ways.length !== 1) {
    throw new TypeError(
      'PrmkitModule.forRootAsync(): give exactly one of useFactory, useClass or useExisting',
    );
  }
  if (options.useFactory) {
    return [
      { provide: PRMKIT_CONFIG, useFactory: options.useFactory, inject: options.inject ?? [] },
    ];
  }
  const fromFactory: Provider = {
    provide: PRMKIT_CONFIG,
    useFactory: (factory: PrmkitConfigFactory) => factory.createPrmkitConfig(),
    inject: [PRMKIT_CONFIG_FACTORY],
  };
  if (options.useClass) {
    return [{ provide: PRMKIT_CONFIG_FACTORY, useClass: options.useClass }, fromFactory];
  }
  return [{ provide: PRMKIT_CONFIG_FACTORY, useExisting: options.useExisting }, fromFactory];
}

/**
 * Protects a Nest app as an OAuth 2.0 protected resource (MCP authorization): creates the
 * core `ResourceServer` (token `PRMKIT_RESOURCE_SERVER`), serves the RFC 9728 metadata at
 * `rs.metadataPaths` on the HTTP platform (outside guards and the global prefix), and
 * registers the filter that writes refusals verbatim. Global: import it once.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     PrmkitModule.forRoot(
 *       { resource: 'https://api.example.com/mcp', authorizationServers: ['https://auth.example.com'] },
 *       { globalGuard: true },
 *     ),
 *   ],
 *   controllers: [McpController],
 * })
 * export class AppModule {}
 * ```
 * @see RFC 9728 §3 (metadata location), RFC 6750 §3 (challenges)
 */
@Global()
@Module({})
export class PrmkitModule implements OnModuleInit {
  constructor(
    @Inject(PRMKIT_RESOURCE_SERVER) private readonly resourceServer: ResourceServer,
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost,
  ) {}

  /**
   * Configures the module with a static configuration.
   *
   * @example
   * ```ts
   * PrmkitModule.forRoot({ resource: 'https://api.example.com/mcp', authorizationServers: [issuer] })
   * ```
   * @see RFC 9728 §2
   */
  static forRoot(config: ResourceServerConfig, options: PrmkitModuleOptions = {}): DynamicModule {
    return {
      module: PrmkitModule,
      global: true,
      providers: [{ provide: PRMKIT_CONFIG, useValue: config }, ...commonProviders(options)],
      exports: exported,
    };
  }

  /**
   * Configures the module from other providers (a config service, secrets loaded at boot).
   *
   * @example
   * ```ts
   * PrmkitModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (env: ConfigService) => ({
   *     resource: env.getOrThrow('MCP_RESOURCE'),
   *     authorizationServers: [env.getOrThrow('MCP_ISSUER')],
   *   }),
   *   globalGuard: true,
   * })
   * ```
   * @see RFC 9728 §2
   */
  static forRootAsync(options: PrmkitModuleAsyncOptions): DynamicModule {
    return {
      module: PrmkitModule,
      global: true,
      imports: options.imports ?? [],
      providers: [...asyncConfigProviders(options), ...commonProviders(options)],
      exports: exported,
    };
  }

  /** Mounts the metadata routes and parse-failure hooks; runs after Nest's routes, before its 404 and error handlers. */
  onModuleInit(): void {
    const adapter = this.adapterHost?.httpAdapter as HttpAdapterLike | undefined;
    // No HTTP adapter (a standalone or microservice context): nothing to serve.
    if (!adapter) return;
    mountMetadataRoutes(adapter, this.resourceServer);
    mountParseFailureHandlers(adapter, this.resourceServer);
  }
}
