// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { workspacePackages } from './scripts/workspace.mjs';

// Package lists come from the workspace (pnpm-workspace.yaml), never kept by hand here.
const workspace = workspacePackages();
const core = workspace.find((p) => p.name === '@prmkit/core');
if (!core) throw new Error('eslint.config.js: no @prmkit/core in the workspace');
/** Core's public entries, from its exports: `@prmkit/core`, `@prmkit/core/adapter`, … */
const coreEntries = Object.keys(core.json.exports)
  .filter((subpath) => subpath !== './package.json')
  .map((subpath) => core.name + subpath.slice(1));
/** `src` of every package but core. */
const coreUsers = workspace.filter((p) => p !== core).map((p) => `${p.dir}/src/**/*.ts`);
/** The adapters: the packages that run the shared adapter suite. */
const adapters = workspace
  .filter((p) => p.json.devDependencies?.['@prmkit/adapter-tests'] !== undefined)
  .map((p) => `${p.dir}/src/**/*.ts`);
if (adapters.length === 0) throw new Error('eslint.config.js: no adapter found');

const frameworks = [
  'express',
  'fastify',
  'fastify-plugin',
  'hono',
  'hono/*',
  '@nestjs/*',
  'koa',
  'oidc-provider',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/coverage/**',
      '**/.conformance/**',
      '**/.readme-examples/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain Node scripts (TypeScript files get globals from their types).
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: {
        module: 'readonly',
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    // The core is Web-standard: no Node built-ins, no framework, no environment.
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: '@prmkit/core uses Web APIs only.' },
            { group: frameworks, message: '@prmkit/core imports no framework.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'core never reads process.env' },
        'Buffer',
      ],
    },
  },
  {
    // The Node-only entry of the core (@prmkit/core/node) may use node:*, nothing else may.
    files: ['packages/core/src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: frameworks, message: '@prmkit/core imports no framework.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'core never reads process.env' },
        { name: 'Buffer', message: "import { Buffer } from 'node:buffer'" },
      ],
    },
  },
  {
    // Every other package sees the core only through its public entries.
    files: coreUsers,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@prmkit/core/*',
                ...coreEntries.slice(1).map((entry) => `!${entry}`),
                '**/core/src/**',
                '../../core/**',
              ],
              message: `Import only from the entries of @prmkit/core: ${coreEntries.join(', ')}.`,
            },
          ],
        },
      ],
    },
  },
  {
    // Layering (DESIGN.md): core imports no other @prmkit package; adapters never import the
    // client. A separate rule name, so the no-restricted-imports blocks above stay as they are.
    files: ['packages/core/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@prmkit/*', '@prmkit/*/**'],
              message: '@prmkit/core imports no other @prmkit package.',
            },
          ],
        },
      ],
    },
  },
  {
    files: adapters,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@prmkit/client', '@prmkit/client/**', '**/client/src/**'],
              message: 'Adapters import only @prmkit/core, never @prmkit/client.',
            },
          ],
        },
      ],
    },
  },
  {
    // Web-only, except node.ts: the `node` export condition's entry, loaded only by Node.
    files: ['packages/hono/src/**/*.ts'],
    ignores: ['packages/hono/src/node.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The Hono adapter runs wherever Hono runs.' },
            {
              group: ['@prmkit/core/*', '!@prmkit/core/adapter', '!@prmkit/core/store'],
              message: 'Import only from "@prmkit/core", its /adapter and its /store entries.',
            },
          ],
        },
      ],
    },
  },
  {
    // Web-standard only: runs on Bun, Deno, Workers and the Next.js Edge runtime as on Node.
    files: ['packages/web/src/**/*.ts'],
    ignores: ['packages/web/src/node.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: '@prmkit/web uses Web APIs only.' },
            { group: frameworks, message: '@prmkit/web imports no framework.' },
            {
              group: ['@prmkit/core/*', '!@prmkit/core/adapter'],
              message: 'Import only from "@prmkit/core" and "@prmkit/core/adapter".',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer'],
    },
  },
);
