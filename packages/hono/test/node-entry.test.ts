import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
const resolveFor = (conditions: string[]): string =>
  execFileSync(
    process.execPath,
    [
      ...conditions.map((c) => `--conditions=${c}`),
      '--input-type=module',
      '-e',
      "process.stdout.write(import.meta.resolve('@prmkit/hono'))",
    ],
    { cwd: here, encoding: 'utf8' },
  );

// The package's own exports map, as Node and a Workers bundler resolve it (built dist).
describe('@prmkit/hono entry per runtime', () => {
  it('Node (@hono/node-server) gets the node:crypto entry', () => {
    expect(resolveFor([])).toMatch(/\/dist\/node\.js$/);
  });

  it('workerd, worker and browser conditions get the Web Crypto entry, never node:crypto', () => {
    for (const c of ['workerd', 'worker', 'browser']) {
      expect(resolveFor([c])).toMatch(/\/dist\/index\.js$/);
    }
  });
});
