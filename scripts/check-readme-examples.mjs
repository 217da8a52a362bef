#!/usr/bin/env node
// Every TypeScript example in a published package's README (and the root README, the
// pages of docs/identity-providers, the apps' READMEs) and in the TSDoc `@example` of a
// published entry point's exports compiles.
//
// Rules for README authors:
// - A fenced block whose info string starts with `ts` or `typescript` is type-checked as
//   its own ES module (`export {}` is appended, so top-level await works).
// - Write it as a user would: import from `@prmkit/*` and the framework by package name,
//   and declare what the snippet assumes (`declare const token: string;`).
// - The same holds for a ```ts block inside a TSDoc `@example` (a one-line `@example` in
//   backticks is not checked).
// - A block that is deliberately partial (a fragment, a signature listing) is fenced
//   `ts nocompile`. Use that sparingly; a real example should be self-contained.
//
// How: each block is written to `packages/<pkg>/.readme-examples/`, next to a tsconfig that
// extends the package's own (so nestjs keeps its decorator flags) without its `paths`, and
// type-checked with the compiler API. Imports therefore resolve the way a user's do: other
// packages and the package itself through node_modules and their `exports` (the built
// dist, so build first). A root README block goes into the first published package whose
// dependencies cover its imports. The folders are removed at the end (`--keep` keeps them).

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { entrySources, publishedPackages, root, workspacePackages } from './workspace.mjs';

// Published packages first (a root README block goes into the first that covers its
// imports), core before the packages that build on it; then every private package (the
// apps) that has a README: its blocks are checked in that package.
const byDependencies = (a, b) =>
  Object.keys(a.json.dependencies ?? {}).length - Object.keys(b.json.dependencies ?? {}).length ||
  a.dir.localeCompare(b.dir);
const published = publishedPackages()
  .sort(byDependencies)
  .map((p) => p.dir);
const apps = workspacePackages()
  .filter((p) => p.private && existsSync(join(root, p.dir, 'README.md')))
  .map((p) => p.dir);
const TEMP = '.readme-examples';
const keep = process.argv.includes('--keep');

/** Fenced ts blocks of a Markdown file: `{ index, line (1-based, first code line), code }`. */
function extractBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split(/\r?\n/);
  let open; // { fence, info, line, body }
  let index = 0;
  for (const [i, line] of lines.entries()) {
    if (!open) {
      const m = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/.exec(line);
      if (m) open = { fence: m[1], info: m[2].trim().split(/\s+/), line: i + 2, body: [] };
      continue;
    }
    const close = new RegExp(`^ {0,3}${open.fence[0]}{${open.fence.length},}\\s*$`);
    if (!close.test(line)) {
      open.body.push(line);
      continue;
    }
    const [lang = '', ...flags] = open.info;
    if (lang === 'ts' || lang === 'typescript') {
      index += 1;
      if (!flags.includes('nocompile')) {
        blocks.push({ index, line: open.line, code: open.body.join('\n') });
      }
    }
    open = undefined;
  }
  if (open) throw new Error(`unclosed code fence opened at line ${open.line - 1}`);
  return blocks;
}

/** Package names a block imports (bare specifiers only; `node:` and built-ins excluded). */
function importedPackages(code) {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.Latest, false);
  const names = new Set();
  const visit = (node) => {
    const spec =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier
        ? node.moduleSpecifier
        : ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword
          ? node.arguments[0]
          : undefined;
    if (spec && ts.isStringLiteral(spec)) {
      const s = spec.text;
      if (!s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s)) {
        names.add(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...names];
}

function packageCovers(pkg, names) {
  const json = JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8'));
  const have = new Set([
    json.name,
    ...Object.keys(json.dependencies ?? {}),
    ...Object.keys(json.devDependencies ?? {}),
    ...Object.keys(json.peerDependencies ?? {}),
  ]);
  return names.every((n) => have.has(n) || n === '@types/node');
}

// Collect every block and the package it is checked in.
const jobs = new Map(); // pkg -> [{ readme, index, line, file }]
const problems = [];
function addBlock(pkg, readme, block) {
  const list = jobs.get(pkg) ?? [];
  jobs.set(pkg, list);
  const slug = relative(root, readme)
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase();
  const file = join(root, pkg, TEMP, `${slug}-${block.index}.ts`);
  list.push({ ...block, readme, file });
}

const readmes = [
  ...[...published, ...apps].map((pkg) => ({ pkg, readme: join(root, pkg, 'README.md') })),
  { pkg: undefined, readme: join(root, 'README.md') },
  // One page per identity provider; checked like the root README.
  ...readdirSync(join(root, 'docs/identity-providers'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({ pkg: undefined, readme: join(root, 'docs/identity-providers', f) })),
];
let total = 0;
for (const { pkg, readme } of readmes) {
  if (!existsSync(readme)) {
    problems.push(`${relative(root, readme)}: missing`);
    continue;
  }
  let blocks;
  try {
    blocks = extractBlocks(readFileSync(readme, 'utf8'));
  } catch (error) {
    problems.push(`${relative(root, readme)}: ${error.message}`);
    continue;
  }
  for (const block of blocks) {
    total += 1;
    const host = pkg ?? published.find((p) => packageCovers(p, importedPackages(block.code)));
    if (!host) {
      problems.push(
        `${relative(root, readme)}:${block.line} (block ${block.index}): no published package ` +
          `depends on all of ${importedPackages(block.code).join(', ')}`,
      );
      continue;
    }
    addBlock(host, readme, block);
  }
}

// TSDoc: every ```ts block of the `@example` of every export of every published entry
// point, checked in the package that declares it (so it compiles against that package's
// dependencies, like its README).
function tsdocBlocks() {
  const owners = publishedPackages().map((p) => p.dir);
  const files = publishedPackages().flatMap((pkg) =>
    entrySources(pkg).map((file) => join(root, pkg.dir, file)),
  );
  // Read with the source condition, so a re-export resolves to the file that declares it.
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['@prmkit/source'],
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const seen = new Set();
  const found = []; // { pkg, file, block }
  const perFile = new Map();
  for (const entry of files) {
    const source = program.getSourceFile(entry);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) {
      problems.push(`${relative(root, entry)}: cannot read exports`);
      continue;
    }
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const decl of symbol.declarations ?? []) {
        const file = decl.getSourceFile();
        const pkg = owners.find((dir) => file.fileName.startsWith(join(root, dir, 'src') + '/'));
        if (!pkg) continue; // a dependency's declaration
        for (const tag of ts.getJSDocTags(decl)) {
          if (tag.tagName.text !== 'example' || seen.has(`${file.fileName}:${tag.pos}`)) continue;
          seen.add(`${file.fileName}:${tag.pos}`);
          const tagLine = file.getLineAndCharacterOfPosition(tag.getStart()).line;
          const text = file.text
            .slice(tag.getStart(), tag.end)
            .split(/\r?\n/)
            .map((line, i) => (i === 0 ? line : line.replace(/^\s*\*(?!\/) ?/, '')))
            .join('\n');
          let blocks;
          try {
            blocks = extractBlocks(text);
          } catch (error) {
            problems.push(`${relative(root, file.fileName)}:${tagLine + 1}: ${error.message}`);
            continue;
          }
          for (const block of blocks) {
            const index = (perFile.get(file.fileName) ?? 0) + 1;
            perFile.set(file.fileName, index);
            found.push({
              pkg,
              file: file.fileName,
              block: { ...block, index, line: tagLine + block.line },
            });
          }
        }
      }
    }
  }
  return found;
}

let tsdocTotal = 0;
for (const { pkg, file, block } of tsdocBlocks()) {
  tsdocTotal += 1;
  addBlock(pkg, file, block);
}

const tempDirs = [...published, ...apps].map((pkg) => join(root, pkg, TEMP));
function cleanUp() {
  if (!keep) for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

const format = (text) => ts.flattenDiagnosticMessageText(text, '\n    ');
try {
  cleanUp();
  for (const [pkg, list] of jobs) {
    const dir = join(root, pkg, TEMP);
    mkdirSync(dir, { recursive: true });
    for (const job of list) writeFileSync(job.file, `${job.code}\nexport {};\n`);
    const tsconfig = join(dir, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: '../tsconfig.json',
        // Resolve @prmkit/* through node_modules and `exports` (the built dist, not the
        // `@prmkit/source` condition), as a user's project does.
        compilerOptions: { noEmit: true, paths: {}, customConditions: [] },
        include: ['*.ts'],
      }),
    );
    const parsed = ts.getParsedCommandLineOfConfigFile(
      tsconfig,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) =>
          problems.push(`${pkg}: ${format(d.messageText)}`),
      },
    );
    if (!parsed) continue;
    for (const d of parsed.errors) problems.push(`${pkg} tsconfig: ${format(d.messageText)}`);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const job = d.file && list.find((j) => j.file === d.file.fileName);
      if (!job) {
        const where = d.file ? relative(root, d.file.fileName) : pkg;
        problems.push(`${where}: TS${d.code} ${format(d.messageText)}`);
        continue;
      }
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
      problems.push(
        `${relative(root, job.readme)}:${job.line + line}:${character + 1} (block ${job.index}, ` +
          `checked in ${pkg}): TS${d.code} ${format(d.messageText)}`,
      );
    }
  }
} finally {
  cleanUp();
}

if (problems.length > 0) {
  console.error(`README examples: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  console.error(
    '(build first: pnpm exec turbo run build; fence a deliberate fragment as `ts nocompile`)',
  );
  process.exit(1);
}
console.log(
  `README examples: ${total} TypeScript block(s) in ${readmes.length} READMEs and ` +
    `${tsdocTotal} in TSDoc @example compile.`,
);
