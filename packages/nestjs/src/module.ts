import {
  ConfigurableModuleBuilder,
  Global,
  Inject,
  Logger,
  Module,
  Optional,
} from '@nestjs/common';
import type { ConfigurableModuleAsyncOptions, DynamicModule, InjectionToken } from '@nestjs/common';
import type { LogLevel, OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { withDefaultLogger } from '@prmkit/core/adapter';
import { toResourceServers } from '@prmkit/core/node';
import type { PrmkitLogger, ResourceServer, ResourceServerConfig } from '@prmkit/core';
import type { ResourceServerSet } from '@prmkit/core';
import { PrmkitExceptionFilter, PrmkitGuard } from './guard.js';
import { mountOnPlatform } from './platform.js';
import { PRMKIT_CONFIG, PRMKIT_RESOURCE_SERVER } from './tokens.js';

/** Nest-specific options, next to the core configuration. */
export interface PrmkitModuleOptions {
  /** `PrmkitGuard` as APP_GUARD: every route protected unless `@Public()`. Default false. */
  readonly globalGuard?: boolean;
}

/**
 * What the module protects: one resource's configuration, or several (each at its own
 * metadata URL, each route decided by the resource that owns its path).
 *
 * @example
 * ```ts
 * const config: PrmkitConfig = [githubConfig, jiraConfig];
 * ```
 * @see RFC 9728 §3.1
 */
export type PrmkitConfig = ResourceServerConfig | readonly ResourceServerConfig[];

/** A class that builds the configuration, for `forRootAsync({ useClass | useExisting })`. */
export interface PrmkitConfigFactory {
  createPrmkitConfig(): PrmkitConfig | Promise<PrmkitConfig>;
}

type NestAsyncOptions = ConfigurableModuleAsyncOptions<PrmkitConfig, 'createPrmkitConfig'>;

/** `forRoot` hands Nest an object (it copies options key by key): several ride in one. */
interface SeveralResources {
  readonly resources: readonly ResourceServerConfig[];
}

/** Options of `PrmkitModule.forRootAsync`: exactly one of useFactory, useClass, useExisting. */
export type PrmkitModuleAsyncOptions = PrmkitModuleOptions &
  Omit<NestAsyncOptions, 'useExisting' | 'provideInjectionTokensFrom'> & {
    readonly useExisting?: InjectionToken<PrmkitConfigFactory>;
  };

const nest = new Logger('prmkit');
/** Nest's `Logger` (context `prmkit`) as the core's logger: the module's default. */
const nestLogger: PrmkitLogger = {
  warn: (fields, message) => nest.warn({ message, ...fields }),
  info: (fields, message) => nest.log({ message, ...fields }),
  debug: (fields, message) => nest.debug({ message, ...fields }),
  isLevelEnabled: (level) => Logger.isLevelEnabled(level as LogLevel),
};
const resourceServerFor = (config: PrmkitConfig | SeveralResources) => {
  const input =
    'resources' in config && Array.isArray(config.resources) ? config.resources : config;
  return toResourceServers(withDefaultLogger(input as PrmkitConfig, nestLogger));
};

// Nest's own forRoot/forRootAsync machinery (useFactory, useClass, useExisting, imports).
const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<PrmkitConfig>({
  optionsInjectionToken: PRMKIT_CONFIG,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createPrmkitConfig')
  .setExtras<PrmkitModuleOptions>({ globalGuard: false }, (definition, { globalGuard }) => ({
    ...definition,
    global: true,
    exports: [PRMKIT_RESOURCE_SERVER, PRMKIT_CONFIG, PrmkitGuard],
    providers: [
      ...(definition.providers ?? []),
      // Validates once at startup: a bad config fails the app's boot with PrmkitConfigError.
      { provide: PRMKIT_RESOURCE_SERVER, useFactory: resourceServerFor, inject: [PRMKIT_CONFIG] },
      PrmkitGuard,
      { provide: APP_FILTER, useClass: PrmkitExceptionFilter },
      ...(globalGuard === true ? [{ provide: APP_GUARD, useClass: PrmkitGuard }] : []),
    ],
  }))
  .build();

/**
 * Protects a Nest app as an OAuth 2.0 protected resource (MCP authorization): creates the
 * core `ResourceServer` (`PRMKIT_RESOURCE_SERVER`), serves the RFC 9728 metadata on the HTTP
 * platform (outside guards and the global prefix) and writes refusals verbatim. Global.
 *
 * @example
 * ```ts
 * @Module({ imports: [PrmkitModule.forRoot(config, { globalGuard: true })], controllers: [McpController] })
 * export class AppModule {}
 * ```
 * @see RFC 9728 §3 (metadata location), RFC 6750 §3 (challenges)
 */
@Global()
@Module({})
export class PrmkitModule extends ConfigurableModuleClass implements OnModuleInit {
  constructor(
    @Inject(PRMKIT_RESOURCE_SERVER)
    private readonly resourceServer: ResourceServer | ResourceServerSet,
    @Optional() @Inject(HttpAdapterHost) private readonly adapterHost?: HttpAdapterHost,
  ) {
    super();
  }

  /**
   * Configures the module with a static configuration.
   *
   * @example
   * ```ts
   * PrmkitModule.forRoot({ resource: 'https://api.example.com/mcp', authorizationServers: [issuer] })
   * PrmkitModule.forRoot([githubConfig, jiraConfig], { globalGuard: true }) // several resources
   * ```
   * @see RFC 9728 §2, §3.1
   */
  static override forRoot(config: PrmkitConfig, options: PrmkitModuleOptions = {}): DynamicModule {
    const own: ResourceServerConfig | SeveralResources = Array.isArray(config)
      ? { resources: config as readonly ResourceServerConfig[] }
      : (config as ResourceServerConfig);
    return super.forRoot({ ...own, globalGuard: options.globalGuard } as never);
  }

  /**
   * Configures the module from other providers (a config service, secrets loaded at boot).
   *
   * @example
   * ```ts
   * PrmkitModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: (env: ConfigService) => env.getOrThrow('prmkit') })
   * ```
   * @see RFC 9728 §2
   */
  static override forRootAsync(options: PrmkitModuleAsyncOptions): DynamicModule {
    const { useFactory, useClass, useExisting } = options;
    if ([useFactory, useClass, useExisting].filter((w) => w !== undefined).length !== 1) {
      throw new TypeError(
        'PrmkitModule.forRootAsync(): give exactly one of useFactory, useClass or useExisting',
      );
    }
    return super.forRootAsync(
      options as Parameters<typeof ConfigurableModuleClass.forRootAsync>[0],
    );
  }

  /** Mounts on the platform after Nest's routes, before its 404 and error handlers. */
  onModuleInit(): void {
    const adapter = this.adapterHost?.httpAdapter; // none: a standalone or microservice app
    if (adapter) mountOnPlatform(adapter, this.resourceServer);
  }
}
