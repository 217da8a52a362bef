import { fileURLToPath } from 'node:url';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

const at = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const exact = (specifier: string, path: string) => ({
  find: new RegExp(`^${specifier.replace(/[/]/g, '\\/')}$`),
  replacement: at(path),
});

const packages = [
  'core',
  'express',
  'fastify',
  'hono',
  'web',
  'nestjs',
  'client',
  'cli',
  'adapter-tests',
  'testing',
  'redis',
];
const apps = [
  'authorization-server',
  'example-tools',
  'express-server',
  'fastify-server',
  'hono-server',
  'nestjs-server',
  'demo',
  'interop',
];

/**
 * Tests import workspace packages (and the example apps) by name, resolved to source, so
 * no build is needed between an edit in core and a test elsewhere.
 */
export const workspaceAliases = [
  exact('@prmkit/client/node', './packages/client/src/node.ts'),
  exact('@prmkit/core/adapter', './packages/core/src/adapter.ts'),
  exact('@prmkit/core/node', './packages/core/src/node/index.ts'),
  exact('@prmkit/core/verify', './packages/core/src/verify.ts'),
  exact('@prmkit/core/store', './packages/core/src/store.ts'),
  exact('@prmkit/core/http', './packages/core/src/http.ts'),
  exact('@prmkit/testing/store-contract', './packages/testing/src/store-contract.ts'),
  ...packages.map((name) => exact(`@prmkit/${name}`, `./packages/${name}/src/index.ts`)),
  ...apps.map((name) => exact(`@prmkit/${name}`, `./apps/${name}/src/index.ts`)),
];

/**
 * One vitest project per workspace package: `test/**\/*.test.ts`, the shared aliases, and
 * the package's own timeouts.
 */
export function workspaceProject(
  name: string,
  test: { testTimeout?: number; hookTimeout?: number } = {},
): UserWorkspaceConfig {
  return defineProject({
    resolve: { alias: workspaceAliases },
    test: { name, include: ['test/**/*.test.ts'], ...test },
  });
}
