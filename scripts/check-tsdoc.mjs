#!/usr/bin/env node
// Every public export of a published package has TSDoc: a summary for types, and for
// functions, classes and values also an `@example` and an `@see` (the spec section).

import { join } from 'node:path';
import ts from 'typescript';
import { entrySources, publishedPackages, root } from './workspace.mjs';

// Every entry point of every published package, from its `exports`.
const entries = publishedPackages().flatMap((pkg) =>
  entrySources(pkg).map((file) => join(root, pkg.dir, file)),
);

const config = ts.getParsedCommandLineOfConfigFile(
  join(root, 'packages/nestjs/tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => undefined,
  },
);
const program = ts.createProgram(entries, {
  ...config.options,
  noEmit: true,
  paths: undefined,
});
const checker = program.getTypeChecker();
const problems = [];

for (const entry of entries) {
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) {
    problems.push(`${entry}: cannot read exports`);
    continue;
  }
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decl = symbol.declarations?.[0];
    if (!decl) continue;
    const file = decl.getSourceFile().fileName;
    if (file.includes('node_modules')) continue; // re-exports of dependencies
    const where = `${file.slice(root.length + 1)}: ${exported.name}`;
    const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    const tags = symbol.getJsDocTags(checker).map((t) => t.name);
    const isType =
      (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) !== 0 &&
      (symbol.flags & ts.SymbolFlags.Value) === 0;
    if (!summary) problems.push(`${where}: no TSDoc summary`);
    if (!isType) {
      if (!tags.includes('example')) problems.push(`${where}: no @example`);
      if (!tags.includes('see')) problems.push(`${where}: no @see`);
    }
  }
}

const seen = new Set();
const unique = problems.filter((p) => !seen.has(p) && seen.add(p));
if (unique.length > 0) {
  console.error(`TSDoc missing on ${unique.length} public export(s):\n  ${unique.join('\n  ')}`);
  process.exit(1);
}
console.log(`TSDoc: every public export of ${entries.length} entry points is documented.`);
