import { defineConfig } from 'vitest/config';

// One root run over every workspace project (each has its own vitest.config.ts).
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
  },
});
