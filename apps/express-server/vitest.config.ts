import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

const app = (name: string): { find: RegExp; replacement: string } => ({
  find: new RegExp(`^@prmkit/${name}$`),
  replacement: fileURLToPath(new URL(`../${name}/src/index.ts`, import.meta.url)),
});

// The example apps are not in the shared aliases: map them to source here.
export default defineProject({
  resolve: {
    alias: [
      ...workspaceAliases,
      app('example-tools'),
      app('express-server'),
      app('fastify-server'),
      app('hono-server'),
      app('nestjs-server'),
    ],
  },
  test: {
    name: 'express-server',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
