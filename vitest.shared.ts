import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Every workspace package puts `"@prmkit/source": "./src/….ts"` first in each of its
 * `exports`, so with this condition tests import workspace packages (and the example apps)
 * by name and get their source: no build between an edit in core and a test elsewhere, and
 * no list of packages to keep. Published tarballs ignore the condition (it is no
 * condition Node or a bundler sets), so users get `dist`.
 */
export const SOURCE_CONDITION = '@prmkit/source';

// Vite's default server conditions, minus `module` (what vitest itself uses), after ours.
const conditions = [SOURCE_CONDITION, 'node', 'development|production'];

/**
 * One vitest project per workspace package: `test/**\/*.test.ts`, workspace packages from
 * source, and the package's own timeouts.
 */
export function workspaceProject(
  name: string,
  test: { testTimeout?: number; hookTimeout?: number } = {},
): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: { name, include: ['test/**/*.test.ts'], ...test },
  });
}
