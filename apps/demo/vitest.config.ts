import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

const app = (name: string): { find: RegExp; replacement: string } => ({
  find: new RegExp(`^@prmkit/${name}$`),
  replacement: fileURLToPath(new URL(`../${name}/src/index.ts`, import.meta.url)),
});

// The example servers are apps, not in the shared alias list: resolve them to source too,
// so the demo test needs no build.
export default defineProject({
  resolve: {
    alias: [
      ...['express-server', 'fastify-server', 'hono-server', 'nestjs-server', 'example-tools'].map(
        app,
      ),
      ...workspaceAliases,
    ],
  },
  test: {
    name: 'demo',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
