import 'reflect-metadata';
import { runAdapterSuite } from '@prmkit/adapter-tests';
import type { AdapterHarness } from '@prmkit/adapter-tests';
import { platforms, startSuiteApp } from './nest-app.js';
import type { Platform } from './nest-app.js';

/** The shared suite's routes on a real Nest app: SuiteController behind the global PrmkitGuard. */
function harness(platform: Platform): AdapterHarness {
  return {
    async start({ port, config, tls }) {
      const app = await startSuiteApp(platform, config, port, tls);
      return { close: () => app.close() };
    },
  };
}

for (const platform of platforms)
  runAdapterSuite(`nestjs (platform-${platform})`, harness(platform));
