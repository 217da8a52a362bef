import { fileURLToPath } from 'node:url';

const src = (pkg: string, file = 'index.ts'): string =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${file}`, import.meta.url));

/**
 * Tests import workspace packages from source, so no build is needed between an edit
 * in core and a test in an adapter. Longest specifiers first: aliases match by prefix.
 */
export const workspaceAliases = [
  { find: /^@prmkit\/client\/node$/, replacement: src('client', 'node.ts') },
  { find: /^@prmkit\/core$/, replacement: src('core') },
  { find: /^@prmkit\/express$/, replacement: src('express') },
  { find: /^@prmkit\/fastify$/, replacement: src('fastify') },
  { find: /^@prmkit\/hono$/, replacement: src('hono') },
  { find: /^@prmkit\/nestjs$/, replacement: src('nestjs') },
  { find: /^@prmkit\/client$/, replacement: src('client') },
  { find: /^@prmkit\/adapter-tests$/, replacement: src('adapter-tests') },
  { find: /^@prmkit\/cli$/, replacement: src('cli') },
  { find: /^@prmkit\/testing$/, replacement: src('testing') },
  {
    find: /^@prmkit\/authorization-server$/,
    replacement: fileURLToPath(new URL('./apps/authorization-server/src/index.ts', import.meta.url)),
  },
];
