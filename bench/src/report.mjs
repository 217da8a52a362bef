import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/**
 * Targets of issue 7, checked against one run's numbers.
 * @param {Map<string, any>} byId
 */
function targetRows(byId) {
  const rows = [];
  const ratio = (a, b) => {
    const x = byId.get(a);
    const y = byId.get(b);
    return x?.ok && y?.ok ? x.rps / y.rps : Number.NaN;
  };
  for (const [fw, goal] of [
    ['express', 0.95],
    ['fastify', 0.9],
    ['hono', 0.9],
  ]) {
    const r = ratio(`${fw}/b-prmkit-reused`, `${fw}/a-none`);
    const floor = ratio(`${fw}/a-noop`, `${fw}/a-none`);
    rows.push([
      `${fw}: (b)/(a) ≥ ${goal}`,
      `${fmt(r, 2)} (a no-op middleware alone: ${fmt(floor, 2)})`,
      Number.isNaN(r) ? 'not measured' : r >= goal ? 'met' : 'missed',
    ]);
  }
  for (const fw of ['express', 'fastify', 'hono']) {
    const r = ratio(`${fw}/c-prmkit-new`, `${fw}/d-jose-reused`);
    const r2 = ratio(`${fw}/c-prmkit-new`, `${fw}/d-jose-new`);
    rows.push([
      `${fw}: (c) ≥ (d)`,
      `${fmt(r, 2)} (vs (d) with new tokens: ${fmt(r2, 2)})`,
      Number.isNaN(r) ? 'not measured' : r >= 1 ? 'met' : 'missed',
    ]);
  }
  for (const fw of ['express', 'fastify', 'hono']) {
    const r = ratio(`${fw}/m-metadata`, `${fw}/m-static`);
    const same = ratio(`${fw}/m-metadata`, `${fw}/m-static-headers`);
    rows.push([
      `${fw}: metadata ≥ 0.95 × static`,
      `${fmt(r, 2)} (vs a static route sending the same headers: ${fmt(same, 2)})`,
      Number.isNaN(r) ? 'not measured' : r >= 0.95 ? 'met' : 'missed',
    ]);
  }
  return rows;
}

/**
 * The generated part of BENCHMARKS.md.
 * @param {{ results: any[], machine: Record<string, unknown>, versions: Record<string, string>, settings: Record<string, unknown>, startedAt: string, elapsedSeconds: number }} run
 */
export function renderResults(run) {
  const byId = new Map(run.results.map((r) => [r.id, r]));
  const lines = [];
  lines.push(`Run of ${run.startedAt} (${fmt(run.elapsedSeconds)} s in all).`, '');
  lines.push(
    '**Machine.** ' +
      Object.entries(run.machine)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ') +
      '.',
    '',
  );
  lines.push(
    '**Versions.** ' +
      Object.entries(run.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') +
      '.',
    '',
  );
  lines.push(
    '**Settings.** ' +
      Object.entries(run.settings)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ') +
      '.',
    '',
  );
  lines.push('### Targets (issue 7)', '', '| target | measured | |', '|---|---|---|');
  for (const row of targetRows(byId)) lines.push(`| ${row.join(' | ')} |`);
  lines.push('');
  for (const fw of ['express', 'fastify', 'hono']) {
    lines.push(
      `### ${fw}`,
      '',
      '| case | req/s | ratio | p50 ms | p99 ms | requests | non-2xx | errors |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const r of run.results.filter((x) => x.framework === fw)) {
      if (!r.ok) {
        lines.push(`| ${r.label} | – | – | – | – | – | – | ${r.reason} |`);
        continue;
      }
      const base = r.baseline ? byId.get(r.baseline) : undefined;
      const ratio = base?.ok
        ? `${fmt(r.rps / base.rps, 2)}${r.baseline.endsWith('m-static') ? ' of static' : ''}`
        : '1.00';
      lines.push(
        `| ${r.label} | ${fmt(r.rps)} | ${ratio} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.total} | ${r.non2xx} | ${r.errors} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Replaces the generated section of `file`, keeping the hand-written text around it. */
export function writeResults(file, markdown) {
  const block = `${START}\n${markdown}\n${END}`;
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : `# Benchmarks\n\n${START}\n${END}\n`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
