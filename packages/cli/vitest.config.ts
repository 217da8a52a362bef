import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

const app = (name: string): { find: RegExp; replacement: string } => ({
  find: new RegExp(`^@prmkit/${name}$`),
  replacement: fileURLToPath(new URL(`../../apps/${name}/src/index.ts`, import.meta.url)),
});

// The example apps are not in the shared aliases: the inspector is tested against one from source.
export default defineProject({
  resolve: { alias: [...workspaceAliases, app('example-tools'), app('express-server')] },
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
