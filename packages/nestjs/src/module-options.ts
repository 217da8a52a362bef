import type {
  InjectionToken,
  ModuleMetadata,
  OptionalFactoryDependency,
  Type,
} from '@nestjs/common';
import type { ResourceServerConfig } from '@prmkit/core';

/** Nest-specific options, next to the core configuration. */
export interface PrmkitModuleOptions {
  /**
   * Register `PrmkitGuard` as a global guard (APP_GUARD), so every route is protected
   * unless `@Public()`. Default false: add the guard yourself, globally or per controller.
   */
  readonly globalGuard?: boolean;
}

/** A class that builds the configuration, for `forRootAsync({ useClass | useExisting })`. */
export interface PrmkitConfigFactory {
  createPrmkitConfig(): ResourceServerConfig | Promise<ResourceServerConfig>;
}

/** Options of `PrmkitModule.forRootAsync`: exactly one of useFactory, useClass, useExisting. */
export interface PrmkitModuleAsyncOptions
  extends PrmkitModuleOptions, Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest's own factory signature
  readonly useFactory?: (...args: any[]) => ResourceServerConfig | Promise<ResourceServerConfig>;
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
  readonly useClass?: Type<PrmkitConfigFactory>;
  readonly useExisting?: InjectionToken<PrmkitConfigFactory>;
}
