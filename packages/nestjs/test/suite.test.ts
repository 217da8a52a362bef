import 'reflect-metadata';
import { runAdapterSuite } from '@prmkit/adapter-tests';
import type { AdapterHarness } from '@prmkit/adapter-tests';
import { PrmkitModule } from '@prmkit/nestjs';
import { ManyController, platforms, startApp, startSuiteApp } from './nest-app.js';
import type { Platform } from './nest-app.js';

/** The shared suite's routes on a real Nest app: SuiteController behind the global PrmkitGuard. */
function harness(platform: Platform): AdapterHarness {
  return {
    async start({ port, config, tls }) {
      const app = await startSuiteApp(platform, config, port, tls);
      return { close: () => app.close() };
    },
    async startMany({ port, configs }) {
      const app = await startApp({
        platform,
        prmkit: PrmkitModule.forRoot(configs, { globalGuard: true }),
        controllers: [ManyController],
        port,
      });
      return { close: () => app.close() };
    },
  };
}

for (const platform of platforms)
  runAdapterSuite(`nestjs (platform-${platform})`, harness(platform));
