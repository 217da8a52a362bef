import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// `@prmkit/client` is an optional peer: only `@prmkit/redis/credentials` may load it. A
// server that installs `@prmkit/redis` for the store must not need the client, in its
// JavaScript or in its types.

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Every module specifier the files reachable from `entry` import (types included). */
function importsReachableFrom(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = [resolve(src, entry)];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    const specifiers = ts
      .preProcessFile(readFileSync(file, 'utf8'), true, true)
      .importedFiles.map((f) => f.fileName);
    seen.set(file, specifiers);
    for (const s of specifiers) {
      if (s.startsWith('.')) queue.push(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
    }
  }
  return seen;
}

const reachesClient = (graph: Map<string, string[]>): string[] =>
  [...graph].flatMap(([file, specifiers]) =>
    specifiers
      .filter((s) => s === '@prmkit/client' || s.startsWith('@prmkit/client/'))
      .map((s) => `${file.slice(src.length)} imports ${s}`),
  );

describe('entry points and the optional @prmkit/client peer', () => {
  it('the main entry reaches no @prmkit/client import', () => {
    const graph = importsReachableFrom('index.ts');
    expect(graph.size).toBeGreaterThan(1); // the walk followed the relative imports
    expect(reachesClient(graph)).toEqual([]);
  });

  it('the walk sees the client where it is used: the credentials entry', () => {
    expect(reachesClient(importsReachableFrom('credentials.ts'))).not.toEqual([]);
  });

  it('@prmkit/client is an optional peer, never a dependency', () => {
    const pkg = JSON.parse(readFileSync(resolve(src, '../package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    expect(pkg.dependencies?.['@prmkit/client']).toBeUndefined();
    expect(pkg.peerDependencies?.['@prmkit/client']).toBeDefined();
    expect(pkg.peerDependenciesMeta?.['@prmkit/client']?.optional).toBe(true);
  });
});
