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
    const imports = importedPackages(block.code);
    // A published package's blocks stay in it (its users install only it); a private
    // package's block may show it with others (the testing helpers with the client).
    const host =
      pkg !== undefined && (published.includes(pkg) || packageCovers(pkg, imports))
        ? pkg
        : [...published, ...apps].find((p) => packageCovers(p, imports));
    if (!host) {
      problems.push(
        `${relative(root, readme)}:${block.line} (block ${block.index}): no workspace package ` +
          `depends on all of ${importedPackages(block.code).join(', ')}`,
      );
      continue;
    }
    addBlock(host, readme, block);
  }
}

// TSDoc: every ```ts block in the doc comment of every export of every published entry
// point, checked in the package that declares it. Unlike a README block, a TSDoc example
// is read next to its declaration: it may use the package's own exports without importing
// them (an import line is added), and may leave its context undeclared (`config`, `req`,
// `app`: a name that is not found is not reported). Everything else must type-check: the
// calls, their arguments, the option names, the values.
const CONTEXT_CODES = new Set([
  2304, // Cannot find name 'x'.
  2552, // Cannot find name 'x'. Did you mean 'y'?
  18004, // No value exists in scope for the shorthand property 'x'.
  7006, // Parameter 'x' implicitly has an 'any' type (a callback of an undeclared `app`).
  7031, // Binding element 'x' implicitly has an 'any' type.
]);

/** Names a block declares or imports at its top level (the added import leaves them out). */
function ownNames(code) {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.Latest, false);
  const names = new Set();
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node) && node.importClause) {
      const { name, namedBindings } = node.importClause;
      if (name) names.add(name.text);
      if (namedBindings && ts.isNamespaceImport(namedBindings)) names.add(namedBindings.name.text);
      if (namedBindings && ts.isNamedImports(namedBindings))
        for (const e of namedBindings.elements) names.add(e.name.text);
    } else if (ts.isVariableStatement(node)) {
      for (const d of node.declarationList.declarations)
        if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if (node.name && ts.isIdentifier(node.name)) {
      names.add(node.name.text);
    }
  }
  return names;
}

function tsdocBlocks() {
  const owners = publishedPackages();
  const entryOf = new Map(); // absolute entry file -> { pkg, specifier }
  for (const pkg of owners) {
    for (const [subpath, target] of Object.entries(pkg.json.exports ?? {})) {
      const file = typeof target === 'object' ? target['@prmkit/source'] : undefined;
      if (typeof file === 'string')
        entryOf.set(join(root, pkg.dir, file), { pkg, specifier: pkg.name + subpath.slice(1) });
    }
  }
  const files = owners.flatMap((pkg) => entrySources(pkg).map((f) => join(root, pkg.dir, f)));
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
  // The public names of each package, by import specifier: { name, type-only? }.
  const publicNames = new Map(); // pkg dir -> Map(name -> { specifier, typeOnly })
  const declarations = []; // { pkg, decl }
  for (const file of files) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) {
      problems.push(`${relative(root, file)}: cannot read exports`);
      continue;
    }
    const entry = entryOf.get(file);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (entry) {
        const names = publicNames.get(entry.pkg.dir) ?? new Map();
        publicNames.set(entry.pkg.dir, names);
        if (!names.has(exported.name))
          names.set(exported.name, {
            specifier: entry.specifier,
            typeOnly: (symbol.flags & ts.SymbolFlags.Value) === 0,
          });
      }
      for (const decl of symbol.declarations ?? []) {
        const owner = owners.find((p) =>
          decl.getSourceFile().fileName.startsWith(join(root, p.dir, 'src') + '/'),
        );
        if (owner) declarations.push({ pkg: owner.dir, decl });
      }
    }
  }
  const seen = new Set();
  const found = [];
  const perFile = new Map();
  for (const { pkg, decl } of declarations) {
    const file = decl.getSourceFile();
    for (const doc of ts.getJSDocCommentsAndTags(decl).filter(ts.isJSDoc)) {
      const id = `${file.fileName}:${doc.pos}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const docLine = file.getLineAndCharacterOfPosition(doc.getStart()).line;
      const text = file.text
        .slice(doc.getStart(), doc.end)
        .split(/\r?\n/)
        .map((line) => line.replace(/^\s*(\/\*\*|\*\/|\*(?!\/) ?)/, ''))
        .join('\n');
      let blocks;
      try {
        blocks = extractBlocks(text);
      } catch (error) {
        problems.push(`${relative(root, file.fileName)}:${docLine + 1}: ${error.message}`);
        continue;
      }
      for (const block of blocks) {
        const index = (perFile.get(file.fileName) ?? 0) + 1;
        perFile.set(file.fileName, index);
        const own = ownNames(block.code);
        const bySpecifier = new Map();
        for (const [name, { specifier, typeOnly }] of publicNames.get(pkg) ?? []) {
          if (own.has(name) || name === 'default') continue;
          const list = bySpecifier.get(specifier) ?? [];
          bySpecifier.set(specifier, list);
          list.push(typeOnly ? `type ${name}` : name);
        }
        const preamble = [...bySpecifier]
          .map(([specifier, names]) => `import { ${names.join(', ')} } from '${specifier}';`)
          .join(' ');
        found.push({
          pkg,
          file: file.fileName,
          // The preamble is the snippet's first line: line 0 maps to the line before the code.
          block: { index, line: docLine + block.line - 1, code: `${preamble}\n${block.code}` },
        });
      }
    }
  }
  return found;
}

let tsdocTotal = 0;
for (const { pkg, file, block } of tsdocBlocks()) {
  tsdocTotal += 1;
  addBlock(pkg, file, { ...block, tsdoc: true });
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
      if (job?.tsdoc && CONTEXT_CODES.has(d.code)) continue;
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
