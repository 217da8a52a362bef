// Summarizes a --cpu-prof profile: self time by function and by package, so
// BENCHMARKS.md can say what dominates. Usage: node src/profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import process from 'node:process';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node src/profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const counts = new Map();
for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
const total = profile.samples.length;

const packageOf = (url) => {
  if (!url) return '(native/V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const pkg = /\/packages\/([^/]+)\//.exec(url);
  if (pkg) return `@prmkit/${pkg[1]}`;
  if (url.startsWith('node:')) return 'node core';
  return url.replace(/^.*\//, '');
};

const fnSelf = new Map();
const pkgSelf = new Map();
for (const [id, n] of counts) {
  const node = byId.get(id);
  const cf = node.callFrame;
  const name = `${cf.functionName || '(anonymous)'} ${packageOf(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
  fnSelf.set(name, (fnSelf.get(name) ?? 0) + n);
  const pkg = packageOf(cf.url);
  pkgSelf.set(pkg, (pkgSelf.get(pkg) ?? 0) + n);
}
const pct = (n) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${total} samples`);
console.log('\nself time by package');
for (const [k, v] of [...pkgSelf].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`${pct(v)}  ${k}`);
console.log('\nself time by function');
for (const [k, v] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(v)}  ${k}`);
